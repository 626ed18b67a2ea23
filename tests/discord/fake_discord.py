"""A fake Discord REST API on 127.0.0.1 that records every call, for discord.py to talk to.

It answers what mentorbot's client calls (login, application info, command sync, interaction
callbacks, webhook followups, DMs, channel messages and their edits) with payloads shaped like
Discord's, and can be told to fail the next matching calls (429 with `Via`, 403 code 50007, 5xx).
Given `Limits`, it answers after a latency and enforces Discord's rate limits: the bot's global
requests per second (interactions and webhooks excepted, as on Discord) and per-route buckets,
announced in `X-RateLimit-*` headers on every answer of the route; a request over either gets
Discord's 429 (`retry_after`, `global`, `Via`) and is counted in `rate_limited`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import socket
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, web

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
    files: dict[str, bytes] = field(default_factory=dict)  # a multipart message's attachments
    at: float = field(default_factory=time.monotonic)  # when it arrived


@dataclass
class Failure:
    method: str
    pattern: re.Pattern[str]
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    times: int = 1


@dataclass(frozen=True)
class Bucket:
    """A route's rate limit: `limit` requests per window of `reset_after` seconds, counted per
    major parameter (the route's first group: a channel id), as Discord does."""

    method: str
    pattern: str
    limit: int
    reset_after: float
    name: str  # what X-RateLimit-Bucket says


# Discord's own shape: 5 messages per 5 s per channel; opening DMs shares one bucket.
MESSAGES = Bucket("POST", r"/channels/(\d+)/messages", 5, 5.0, "messages-bucket")
OPEN_DM = Bucket("POST", r"/users/@me/channels()", 50, 1.0, "dm-bucket")


@dataclass
class Limits:
    global_per_second: int | None = None
    buckets: tuple[Bucket, ...] = ()
    latency: float = 0.0  # seconds before each answer


class _Enforcer:
    """The global sliding second and each bucket's current window, on the server's clock."""

    def __init__(self) -> None:
        self.arrivals: deque[float] = deque()
        self.windows: dict[tuple[str, str], list[float]] = {}  # -> [ends at, used]

    def over_global(self, limit: int | None, now: float) -> float | None:
        """Seconds to wait when the request is over the global limit, else None (counted)."""
        while self.arrivals and self.arrivals[0] <= now - 1.0:
            self.arrivals.popleft()
        if limit is not None and len(self.arrivals) >= limit:
            return self.arrivals[0] + 1.0 - now
        self.arrivals.append(now)
        return None

    def take(self, bucket: Bucket, major: str, now: float) -> tuple[bool, dict[str, str]]:
        window = self.windows.setdefault((bucket.name, major), [0.0, 0])
        if now >= window[0]:
            window[0], window[1] = now + bucket.reset_after, 0
        allowed = window[1] < bucket.limit
        window[1] += allowed
        reset_after = window[0] - now
        return allowed, {
            "X-RateLimit-Limit": str(bucket.limit),
            "X-RateLimit-Remaining": str(int(bucket.limit - window[1])),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": bucket.name,
        }


def too_many(retry_after: float, scope: str, headers: dict[str, str] | None = None) -> Any:
    """Discord's 429: the wait in the body, `Via` so discord.py knows it is not Cloudflare."""
    body: dict[str, Any] = {"message": "You are being rate limited.", "retry_after": retry_after}
    body["global"] = scope == "global"
    extra = {"Via": "1.1 google", "Retry-After": str(max(1, round(retry_after)))}
    extra["X-RateLimit-Scope"] = scope
    if scope == "global":
        extra["X-RateLimit-Global"] = "true"
    return json_response(body, 429, {**(headers or {}), **extra})


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


async def read_body(request: web.Request) -> tuple[Any, dict[str, bytes]]:
    """JSON, or a multipart message as discord.py sends one with files: `payload_json` and a
    part per file (by its filename)."""
    if not request.can_read_body:
        return None, {}
    if not request.content_type.startswith("multipart/"):
        return await request.json(), {}
    body: Any = None
    files: dict[str, bytes] = {}
    async for part in await request.multipart():
        if not isinstance(part, BodyPartReader):
            continue
        if part.name == "payload_json":
            body = json.loads(await part.text())
        else:
            files[part.filename or str(part.name)] = bytes(await part.read())
    return body, files


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
        self.limits = Limits()
        self.rate_limited: Counter[str] = Counter()  # "global" / a bucket's name -> 429s
        self._enforcer = _Enforcer()
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
        body, files = await read_body(request)
        call = Call(request.method, path, dict(request.query), body, files=files)
        self.calls.append(call)
        failure = self._failure(request.method, path)
        if failure is not None:
            call.status = failure.status
            return json_response(failure.body, failure.status, failure.headers)
        refused, headers = self._limit(request.method, path)
        if self.limits.latency and refused is None:  # a 429 comes back at once
            await asyncio.sleep(self.limits.latency)
        if refused is not None:
            call.status = 429
            return refused
        call.response = self._answer(request.method, path, body or {})
        if call.response is None:
            call.status = 404
            return json_response({"message": "Unknown route (fake)", "code": 0}, 404)
        return json_response(call.response, headers=headers)

    def _limit(self, method: str, path: str) -> tuple[Any, dict[str, str]]:
        """On arrival: (a 429 or None, the route's rate-limit headers)."""
        now = time.monotonic()
        exempt = path.startswith(("/interactions/", "/webhooks/"))
        wait = None if exempt else self._enforcer.over_global(self.limits.global_per_second, now)
        if wait is not None:
            self.rate_limited["global"] += 1
            return too_many(wait, "global"), {}
        for bucket in self.limits.buckets:
            match = re.fullmatch(bucket.pattern, path)
            if bucket.method == method and match:
                allowed, headers = self._enforcer.take(bucket, match[1] or "", now)
                if allowed:
                    return None, headers
                self.rate_limited[bucket.name] += 1
                wait = float(headers["X-RateLimit-Reset-After"])
                return too_many(wait, "user", headers), headers
        return None, {}

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
