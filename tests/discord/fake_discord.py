"""A fake Discord REST API on 127.0.0.1 that records every call, for discord.py to talk to.

It answers what mentorbot's client calls (login, application info, command sync, interaction
callbacks, webhook followups, DMs, channel messages and their edits) with payloads shaped like
Discord's, and can be told to fail the next matching calls (429 with `Via`, 403 code 50007, 5xx).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

APP_ID = 910000000000000001
BOT_ID = 910000000000000002
OWNER_ID = 910000000000000003
TIMESTAMP = "2026-11-23T09:00:00.000000+00:00"


@dataclass
class Call:
    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    json: Any
    status: int = 200
    response: Any = None


@dataclass
class Failure:
    method: str
    pattern: re.Pattern[str]
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    times: int = 1


def user(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": None,
        "bot": bot,
        "flags": 0,
        "public_flags": 0,
    }


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Any:
    # Exactly `application/json`: discord.py reads anything else as text.
    return web.Response(
        body=json.dumps(body).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


class FakeDiscord:
    PREFIX = "/api/v10"

    def __init__(self) -> None:
        # The port is reserved now, so settings can name the URL before the event loop runs.
        self.sock = self._bind(0)
        self.port = self.sock.getsockname()[1]
        self.calls: list[Call] = []
        self.failures: list[Failure] = []
        self.dm_channels: dict[str, int] = {}  # recipient id -> DM channel id
        self._ids = itertools.count(920000000000000001)
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.PREFIX}"

    def next_id(self) -> int:
        return next(self._ids)

    @staticmethod
    def _bind(port: int) -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        return sock

    async def start(self) -> None:
        if self.sock.fileno() == -1:  # served before: the server closed the socket
            self.sock = self._bind(self.port)
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.SockSite(self._runner, self.sock).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def close(self) -> None:
        self.sock.close()

    def fail_next(
        self,
        method: str,
        pattern: str,
        status: int,
        body: Any,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        self.failures.append(
            Failure(method, re.compile(pattern), status, body, dict(headers or {}), times)
        )

    def find(self, method: str, pattern: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and re.fullmatch(pattern, c.path)]

    async def wait_for(
        self, method: str, pattern: str, *, count: int = 1, timeout: float = 10.0
    ) -> list[Call]:
        """Poll the recorded calls: discord.py's tasks and the outbox thread run on their own."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.find(method, pattern) if c.status < 300]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                seen = [(c.method, c.path, c.status) for c in self.calls]
                raise AssertionError(f"no {count}× {method} {pattern} within {timeout}s: {seen}")
            await asyncio.sleep(0.01)

    async def _handle(self, request: web.Request) -> Any:
        path = request.path.removeprefix(self.PREFIX)
        body = await request.json() if request.can_read_body else None
        call = Call(request.method, path, dict(request.query), body)
        self.calls.append(call)
        failure = self._failure(request.method, path)
        if failure is not None:
            call.status = failure.status
            return json_response(failure.body, failure.status, failure.headers)
        call.response = self._answer(request.method, path, body or {})
        if call.response is None:
            call.status = 404
            return json_response({"message": "Unknown route (fake)", "code": 0}, 404)
        return json_response(call.response)

    def _failure(self, method: str, path: str) -> Failure | None:
        for failure in self.failures:
            if failure.times > 0 and failure.method == method and failure.pattern.fullmatch(path):
                failure.times -= 1
                return failure
        return None

    def _answer(self, method: str, path: str, body: dict[str, Any]) -> Any:
        for route_method, pattern, answer in self._routes():
            match = re.fullmatch(pattern, path)
            if route_method == method and match:
                return answer(match, body)
        return None

    def _routes(self) -> list[tuple[str, str, Callable[[re.Match[str], Any], Any]]]:
        return [
            ("GET", r"/users/@me", lambda m, b: user(BOT_ID, "mentorbot", bot=True)),
            ("GET", r"/oauth2/applications/@me", lambda m, b: self._application()),
            ("PUT", r"/applications/\d+/commands", lambda m, b: self._commands(b, None)),
            (
                "PUT",
                r"/applications/\d+/guilds/(\d+)/commands",
                lambda m, b: self._commands(b, m[1]),
            ),
            ("POST", r"/interactions/(\d+)/([^/]+)/callback", self._callback),
            ("POST", r"/webhooks/\d+/[^/]+", lambda m, b: self.message("0", b)),
            (
                "PATCH",
                r"/webhooks/\d+/[^/]+/messages/(@original|\d+)",
                lambda m, b: self.message("0", b),
            ),
            ("POST", r"/users/@me/channels", lambda m, b: self._dm_channel(b)),
            ("POST", r"/channels/(\d+)/messages", lambda m, b: self.message(m[1], b)),
            (
                "PATCH",
                r"/channels/(\d+)/messages/(\d+)",
                lambda m, b: self.message(m[1], b, message_id=m[2]),
            ),
        ]

    def _application(self) -> dict[str, Any]:
        return {
            "id": str(APP_ID),
            "name": "mentorbot",
            "description": "",
            "icon": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "owner": user(OWNER_ID, "owner"),
            "team": None,
            "verify_key": "0" * 64,
            "flags": 0,
        }

    def _commands(self, body: list[dict[str, Any]], guild_id: str | None) -> list[dict[str, Any]]:
        extra = {"guild_id": guild_id} if guild_id else {}
        return [
            {
                "id": str(self.next_id()),
                "application_id": str(APP_ID),
                "version": "1",
                "type": 1,
                "default_member_permissions": None,
                **extra,
                **command,
            }
            for command in body
        ]

    def _callback(self, match: re.Match[str], body: dict[str, Any]) -> dict[str, Any]:
        flags = (body.get("data") or {}).get("flags", 0)
        return {
            "interaction": {
                "id": match[1],
                "type": 2,
                "response_message_loading": body.get("type") == 5,
                "response_message_ephemeral": bool(flags & 64),
            },
            "resource": {"type": body.get("type", 4)},
        }

    def _dm_channel(self, body: dict[str, Any]) -> dict[str, Any]:
        recipient = str(body["recipient_id"])
        channel_id = self.dm_channels.setdefault(recipient, self.next_id())
        return {
            "id": str(channel_id),
            "type": 1,
            "last_message_id": None,
            "recipients": [user(int(recipient), f"user{recipient[-4:]}")],
        }

    def message(
        self, channel_id: str, body: dict[str, Any], *, message_id: str | None = None
    ) -> dict[str, Any]:
        """What Discord answers for a message it stored: the request, echoed with ids."""
        return bot_message(message_id or str(self.next_id()), channel_id, body)


def bot_message(message_id: str, channel_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """A message of the bot's as Discord sends it (stored, or attached to a click)."""
    return {
        "id": message_id,
        "channel_id": channel_id,
        "type": 0,
        "author": user(BOT_ID, "mentorbot", bot=True),
        "content": body.get("content") or "",
        "components": body.get("components") or [],
        "flags": body.get("flags") or 0,
        "attachments": [],
        "embeds": [],
        "mentions": [],
        "mention_roles": [],
        "mention_everyone": False,
        "pinned": False,
        "tts": False,
        "timestamp": TIMESTAMP,
        "edited_timestamp": None,
    }
