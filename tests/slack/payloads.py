"""Slack's own request formats, signed the way Slack signs them, sent over real HTTP.

Slash commands are form-encoded fields; interactivity is a form field `payload` holding JSON;
the Events API posts JSON. Each is signed with `v0=HMAC-SHA256(secret, "v0:{ts}:{body}")`.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from tests.slack.fake_slack import BOT_USER, TEAM

APP_ID = "A0MENTORBOT"
_ids = itertools.count(1)


def signature(secret: str, timestamp: int, body: str) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class Answer:
    status: int
    body: str
    seconds: float


class SignedClient:
    """Posts to the app's /slack/events like Slack does (or, when told, like an impostor)."""

    def __init__(self, url: str, secret: str) -> None:
        self.url = url
        self.secret = secret

    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        signed: bool = True,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        stamp = int(time.time()) if timestamp is None else timestamp
        all_headers = {"Content-Type": content_type, **(headers or {})}
        if signed:
            all_headers["X-Slack-Request-Timestamp"] = str(stamp)
            all_headers["X-Slack-Signature"] = signature(self.secret, stamp, body)
        request = urllib.request.Request(
            self.url, data=body.encode(), headers=all_headers, method="POST"
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                text = response.read().decode()
                return Answer(response.status, text, time.perf_counter() - started)
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode(), time.perf_counter() - started)

    def form(self, fields: dict[str, str], **options: Any) -> Answer:
        return self.post(urlencode(fields), "application/x-www-form-urlencoded", **options)

    def interaction(self, payload: dict[str, Any], **options: Any) -> Answer:
        return self.form({"payload": json.dumps(payload)}, **options)

    def events(self, payload: dict[str, Any], **options: Any) -> Answer:
        return self.post(json.dumps(payload), "application/json", **options)


def slash_command(user: str, command: str, text: str, response_url: str) -> dict[str, str]:
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM,
        "team_domain": "school",
        "channel_id": "C0GENERAL",
        "channel_name": "general",
        "user_id": user,
        "user_name": user.lower(),
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": f"{next(_ids)}.{TEAM}.trigger",
    }


def _user(user: str) -> dict[str, str]:
    return {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM}


def block_action(
    user: str,
    value: str,
    *,
    action_id: str = "mentorbot_choice_0",
    response_url: str | None = None,
    ephemeral: bool = True,
    channel: str = "C0GENERAL",
    message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A button clicked in a message (ephemeral or not) or, with no response_url, the App Home.

    `message` is what the bot posted (chat.postMessage's arguments and answer): Slack sends a
    non-ephemeral message back with the click, in its channel (a DM: `D…`)."""
    action = {
        "action_id": action_id,
        "block_id": "b1",
        "text": {"type": "plain_text", "text": "label", "emoji": True},
        "value": value,
        "type": "button",
        "action_ts": f"{time.time():.6f}",
    }
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user(user),
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "trigger_id": f"{next(_ids)}.{TEAM}.trigger",
        "team": {"id": TEAM, "domain": "school"},
        "enterprise": None,
        "is_enterprise_install": False,
        "actions": [action],
    }
    if response_url is None:
        payload["container"] = {"type": "view", "view_id": "V0HOME"}
        payload["view"] = {"id": "V0HOME", "type": "home", "team_id": TEAM, "blocks": []}
        return payload
    return {**payload, **_in_message(response_url, ephemeral, channel, message)}


def _in_message(
    response_url: str, ephemeral: bool, channel: str, message: dict[str, Any] | None
) -> dict[str, Any]:
    """Where a button in a message was: its container, its channel, the message itself."""
    ts = str((message or {}).get("ts") or "1700000000.000100")
    channel = str((message or {}).get("channel") or channel)
    container = {
        "type": "message",
        "message_ts": ts,
        "channel_id": channel,
        "is_ephemeral": ephemeral and message is None,
    }
    found: dict[str, Any] = {
        "container": container,
        "channel": {"id": channel, "name": "directmessage" if channel[0] == "D" else "c"},
        "response_url": response_url,
    }
    if message is not None:
        found["message"] = {
            "type": "message",
            "user": BOT_USER,
            "bot_id": "BBOT",
            "ts": ts,
            "text": message.get("text"),
            "blocks": message.get("blocks") or [],
        }
    return found


def view_submission(
    user: str, callback_id: str, values: dict[str, dict[str, Any]], private_metadata: str
) -> dict[str, Any]:
    """`values` is Slack's state: block id → action id → {type, value | selected_…}."""
    return {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "school"},
        "user": _user(user),
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "trigger_id": f"{next(_ids)}.{TEAM}.trigger",
        "view": {
            "id": "V0MODAL",
            "team_id": TEAM,
            "type": "modal",
            "blocks": [],
            "private_metadata": private_metadata,
            "callback_id": callback_id,
            "state": {"values": values},
            "hash": "1700000000.abcdef",
            "title": {"type": "plain_text", "text": "mentorbot"},
            "root_view_id": "V0MODAL",
            "app_id": APP_ID,
            "bot_id": "BBOT",
        },
        "response_urls": [],
    }


def event_callback(event: dict[str, Any], event_id: str) -> dict[str, Any]:
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": TEAM,
                "user_id": BOT_USER,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def direct_message(user: str, text: str) -> dict[str, Any]:
    return {
        "type": "message",
        "channel": f"D{user}",
        "user": user,
        "text": text,
        "ts": f"{time.time():.6f}",
        "event_ts": f"{time.time():.6f}",
        "channel_type": "im",
        "client_msg_id": f"msg-{next(_ids)}",
    }


def home_opened(user: str) -> dict[str, Any]:
    return {
        "type": "app_home_opened",
        "user": user,
        "channel": f"D{user}",
        "tab": "home",
        "event_ts": f"{time.time():.6f}",
    }
