"""Gateway payloads shaped like Discord's (INTERACTION_CREATE, MESSAGE_CREATE, GUILD_CREATE),
fed to discord.py's own parsers exactly as its gateway would."""

from __future__ import annotations

import itertools
from typing import Any

from tests.discord.fake_discord import APP_ID, TIMESTAMP, user

GUILD_ID = 930000000000000001
CHANNEL_ID = 930000000000000002
ADVISORS_CHANNEL_ID = 930000000000000003
ADVISOR_ROLE_ID = 930000000000000004
COMMAND_ID = 930000000000000005
EPHEMERAL = 64

_ids = itertools.count(940000000000000001)

# Option types.
SUB_COMMAND, STRING, INTEGER, BOOLEAN, USER = 1, 3, 4, 5, 6


def member(user_id: int, name: str, roles: tuple[int, ...] = ()) -> dict[str, Any]:
    return {
        "user": user(user_id, name),
        "roles": [str(role) for role in roles],
        "joined_at": TIMESTAMP,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "nick": None,
        "avatar": None,
        "premium_since": None,
        "permissions": "2248473465835073",
    }


def _guild_channel(channel_id: int) -> dict[str, Any]:
    return {
        "id": str(channel_id),
        "type": 0,
        "guild_id": str(GUILD_ID),
        "name": "mentoring",
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "flags": 0,
    }


def interaction(
    kind: int,
    data: dict[str, Any],
    who: tuple[int, str],
    *,
    roles: tuple[int, ...] = (),
    locale: str = "fr",
    channel_id: int = CHANNEL_ID,
    message: dict[str, Any] | None = None,
    dm: int | None = None,
) -> dict[str, Any]:
    """An interaction from a server member (`kind`: 2 command, 3 component, 4 autocomplete,
    5 form submission); with `dm`, from that direct-message channel instead."""
    interaction_id = next(_ids)
    payload: dict[str, Any] = {
        "id": str(interaction_id),
        "application_id": str(APP_ID),
        "type": kind,
        "token": f"token-{interaction_id}",
        "version": 1,
        "guild_id": str(GUILD_ID),
        "guild_locale": "fr",
        "locale": locale,
        "channel_id": str(channel_id),
        "channel": _guild_channel(channel_id),
        "member": member(who[0], who[1], roles),
        "app_permissions": "2248473465835073",
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(GUILD_ID)},
        "context": 0,
        "attachment_size_limit": 10485760,
        "data": data,
    }
    if message is not None:
        payload["message"] = message
    if dm is not None:
        _in_direct_messages(payload, who, dm)
    return payload


def _in_direct_messages(payload: dict[str, Any], who: tuple[int, str], channel_id: int) -> None:
    """What changes when the interaction happens in a DM with the bot: no server, a user."""
    for key in ("guild_id", "guild_locale", "member"):
        payload.pop(key)
    payload["user"] = user(*who)
    payload["channel_id"] = str(channel_id)
    payload["channel"] = {"id": str(channel_id), "type": 1, "recipients": [user(*who)]}
    payload["context"] = 1
    payload["authorizing_integration_owners"] = {"0": str(APP_ID)}


def option(name: str, value: Any, kind: int = STRING, *, focused: bool = False) -> dict[str, Any]:
    found: dict[str, Any] = {"name": name, "type": kind, "value": value}
    if focused:
        found["focused"] = True
    return found


def command(
    name: str,
    options: list[dict[str, Any]] | None = None,
    *,
    subcommand: str | None = None,
    resolved: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """`data` of a chat-input command (or of its autocomplete)."""
    given = options or []
    if subcommand is not None:
        given = [{"name": subcommand, "type": SUB_COMMAND, "options": given}]
    data: dict[str, Any] = {"id": str(COMMAND_ID), "name": name, "type": 1, "options": given}
    if resolved is not None:
        data["resolved"] = resolved
    return data


def click(custom_id: str, values: list[str] | None = None) -> dict[str, Any]:
    """`data` of a button (or, with values, a select menu) interaction."""
    if values is None:
        return {"custom_id": custom_id, "component_type": 2}
    return {"custom_id": custom_id, "component_type": 3, "values": values}


def form(
    custom_id: str, fields: dict[str, str], selects: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    """`data` of a modal submission, in the label layout Discord sends today: text inputs, then
    select menus (`selects`: custom id → the values picked)."""
    inputs = [{"type": 4, "custom_id": k, "value": v} for k, v in fields.items()]
    menus = [{"type": 3, "custom_id": k, "values": v} for k, v in (selects or {}).items()]
    return {
        "custom_id": custom_id,
        "components": [
            {"type": 18, "id": n, "component": {**component, "id": n}}
            for n, component in enumerate(inputs + menus, start=1)
        ],
    }


def person(name: str, who: tuple[int, str]) -> dict[str, Any]:
    """A user option (its value is the id; the user itself is in `resolved`)."""
    return option(name, str(who[0]), USER)


def resolved(*people: tuple[int, str]) -> dict[str, Any]:
    """`data.resolved` for the users picked in user options, as server members."""
    return {
        "users": {str(who[0]): user(*who) for who in people},
        "members": {
            str(who[0]): {k: v for k, v in member(*who).items() if k != "user"} for who in people
        },
    }


def direct_message(who: tuple[int, str], channel_id: int, content: str) -> dict[str, Any]:
    """MESSAGE_CREATE for a DM to the bot (no guild_id)."""
    return {
        "id": str(next(_ids)),
        "channel_id": str(channel_id),
        "channel_type": 1,
        "author": user(who[0], who[1]),
        "content": content,
        "timestamp": TIMESTAMP,
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "components": [],
        "pinned": False,
        "type": 0,
        "flags": 0,
    }


def guild_create(roles: dict[int, str]) -> dict[str, Any]:
    """The server as the gateway sends it at connection (with the `guilds` intent)."""
    everyone = {"id": str(GUILD_ID), "name": "@everyone"}
    return {
        "id": str(GUILD_ID),
        "name": "École",
        "owner_id": "1",
        "unavailable": False,
        "member_count": 10,
        "large": False,
        "features": [],
        "emojis": [],
        "stickers": [],
        "channels": [],
        "threads": [],
        "members": [],
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "roles": [_role(role_id, role_name) for role_id, role_name in roles.items()]
        + [_role(int(everyone["id"]), everyone["name"])],
        "joined_at": TIMESTAMP,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "premium_tier": 0,
        "preferred_locale": "fr",
        "nsfw_level": 0,
    }


def _role(role_id: int, name: str) -> dict[str, Any]:
    return {
        "id": str(role_id),
        "name": name,
        "color": 0,
        "hoist": False,
        "position": 0,
        "permissions": "0",
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }
