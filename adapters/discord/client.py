"""The configured Discord client, built the same way for `mentorbot discord` and for tests.

Minimal intents (server list for roles, direct messages; nothing privileged: the content of a
DM to the bot comes without the message-content intent), no pings unless a message says so,
commands registered with their translations, and the persistent buttons' classes added so a
click on a message sent before a restart still works.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket

from adapters.bootstrap import App
from adapters.discord import command_tree, forms, views
from adapters.discord.handler import Handler
from adapters.discord.translator import CatalogueTranslator

log = logging.getLogger(__name__)

# A longer rate limit raises RateLimited instead of sleeping: the outbox retries later.
MAX_RATE_LIMIT_WAIT = 30.0


def intents() -> discord.Intents:
    wanted = discord.Intents.none()
    wanted.guilds = True  # roles of server members (the advisor role)
    wanted.dm_messages = True  # direct messages are /ask
    return wanted


# What discord.py raises for an interaction from a command definition it does not have.
CHANGED_COMMAND = (app_commands.CommandNotFound, app_commands.CommandSignatureMismatch)


class MentorbotTree(app_commands.CommandTree[Any]):
    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        """Errors outside the handler. A command whose definition changed since the last sync
        (Discord clients cache them) is expected after an upgrade: a warning and a note; else
        (an option discord.py could not convert) log the traceback and apologise."""
        client = interaction.client
        if not isinstance(client, MentorbotClient):
            return
        if isinstance(error, CHANGED_COMMAND):
            data: Any = interaction.data or {}
            log.warning(
                "interaction %s for command %r that no longer matches its definition (%s)",
                interaction.id,
                str(data.get("name", ""))[:40],
                type(error).__name__,
            )
            await client.handler.stale(interaction, "discord.stale_command")
            return
        log.error("application command failed", exc_info=error)
        await client.handler.apologise(interaction)


class MentorbotClient(discord.Client):
    def __init__(self, app: App, *, wake: Callable[[], None] | None):
        super().__init__(
            intents=intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            max_ratelimit_timeout=MAX_RATE_LIMIT_WAIT,
        )
        self.app = app
        self.handler = Handler(app, wake=wake)
        self.tree = MentorbotTree(self)
        command_tree.register(self.tree, self.handler)
        self.add_dynamic_items(*views.DYNAMIC_ITEMS)

    async def setup_hook(self) -> None:
        await self.tree.set_translator(CatalogueTranslator())

    async def on_message(self, message: discord.Message) -> None:
        if message.guild is None and not message.author.bot and message.author != self.user:
            await self.handler.direct_message(message)

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """Forms, by custom id: a form opened before a restart can be submitted after it. A
        click or a form no item of ours claims is answered here: discord.py drops it silently
        and the person would see "This interaction failed"."""
        data: Any = interaction.data or {}
        custom_id = str(data.get("custom_id") or "")
        if interaction.type is discord.InteractionType.modal_submit:
            await self._form(interaction, custom_id)
        elif interaction.type is discord.InteractionType.component and not self._claimed(
            custom_id, int(data.get("component_type") or 0), interaction
        ):
            log.info("interaction %s: unknown component id %r", interaction.id, custom_id[:100])
            await self.handler.stale(interaction)

    async def _form(self, interaction: discord.Interaction[Any], custom_id: str) -> None:
        if custom_id == views.LINK_FORM:
            await self.handler.link_form_submitted(interaction)
        elif (found := forms.parse_custom_id(custom_id)) is not None:
            opening, advisors = found
            await self.handler.form_submitted(interaction, opening, advisors=advisors)
        elif custom_id not in self._connection._view_store._modals:
            log.info("interaction %s: unknown form id %r", interaction.id, custom_id[:100])
            await self.handler.stale(interaction)

    def _claimed(
        self, custom_id: str, component_type: int, interaction: discord.Interaction[Any]
    ) -> bool:
        """Whether discord.py dispatched this click to an item: a dynamic item's template, or
        a view added for this message (or for any message). The same lookups as its store."""
        store = self._connection._view_store
        if any(pattern.fullmatch(custom_id) for pattern in store._dynamic_items):
            # discord.py also needs the clicked component in the message, of that type.
            return _in_message(interaction.message, component_type, custom_id)
        message_id = interaction.message.id if interaction.message is not None else None
        key = (component_type, custom_id)
        return any(key in store._views.get(scope, {}) for scope in {message_id, None})


def _in_message(message: discord.Message | None, component_type: int, custom_id: str) -> bool:
    if message is None:
        return False
    items = discord.ui.View.from_message(message, timeout=None).walk_children()
    return any(
        item.type.value == component_type and getattr(item, "custom_id", None) == custom_id
        for item in items
    )


def build_client(app: App, *, wake: Callable[[], None] | None = None) -> MentorbotClient:
    """The client for `app`; REST calls go to DISCORD_API_URL and the gateway connection to
    DISCORD_GATEWAY_URL (a proxy, or fakes in tests). An unsharded client never asks
    `GET /gateway/bot`: it connects to the class's DEFAULT_GATEWAY, and goes back to it when
    Discord invalidates a session, so that is what is pointed elsewhere."""
    discord.http.Route.BASE = app.settings.discord_api_url.rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(app.settings.discord_gateway_url)
    return MentorbotClient(app, wake=wake)


async def sync_commands(client: MentorbotClient) -> list[app_commands.AppCommand]:
    """Globally (Discord may take a while to show changes), or to DISCORD_GUILD_ID at once."""
    guild_id = client.app.settings.discord_guild_id
    if guild_id is None:
        return await client.tree.sync()
    guild = discord.Object(id=guild_id)
    client.tree.copy_global_to(guild=guild)
    return await client.tree.sync(guild=guild)
