"""A fake Slack on 127.0.0.1: the Web API (`/api/<method>`) and response URLs (`/respond/<name>`).

It records every call with its arguments, answers like Slack (auth.test, users.info, …), and can
be scripted to fail (a 429 with Retry-After, a 500, `channel_not_found`) for the next call to a
method. Given `Limits`, it enforces chat.postMessage's rate limits as Slack does, with a 429 and
`Retry-After` (a call over the limit is refused, not posted). Stdlib only, so the benchmark uses
it too.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

BOT_USER = "UBOT"
TEAM = "T0SCHOOL"


@dataclass
class Call:
    method: str  # "chat.postMessage", or "respond/<name>" for a response_url
    args: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    answer: dict[str, Any] = field(default_factory=dict)  # what the fake answered
    at: float = field(default_factory=time.monotonic)  # when it arrived

    @property
    def channel(self) -> str | None:
        """Where a post landed: posted to a user's id, Slack answers the DM's id."""
        return self.answer.get("channel") or self.args.get("channel")

    @property
    def text(self) -> str:
        """Everything a person could read in this call: fallback text and every block."""
        return json.dumps({"text": self.args.get("text"), "blocks": self.args.get("blocks")})


@dataclass
class Scripted:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]


@dataclass
class Limits:
    """chat.postMessage's limits, counted on arrival over any sliding second."""

    per_second: int | None = None  # workspace-wide
    per_channel: int | None = None  # per channel (Slack: 1)
    retry_after: int = 1  # the 429's Retry-After, seconds


class _Arrivals:
    """Arrival instants of the posts let through, for a sliding one-second count."""

    def __init__(self) -> None:
        self.all: deque[float] = deque()
        self.channels: dict[str, deque[float]] = defaultdict(deque)

    def admit(self, limits: Limits, channel: str, now: float) -> bool:
        checks = [(self.all, limits.per_second), (self.channels[channel], limits.per_channel)]
        for times, limit in checks:
            while times and times[0] <= now - 1.0:
                times.popleft()
            if limit is not None and len(times) >= limit:
                return False
        for times, _ in checks:
            times.append(now)
        return True


class _Server(ThreadingHTTPServer):
    # Slack accepts every connection at once; http.server's backlog of 5 made the sixth of
    # 16 concurrent senders wait for TCP's one-second SYN retry, holding a rate-limit slot.
    request_queue_size = 128


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.users: dict[str, dict[str, str]] = {}  # user id -> email, tz, locale
        self.socket_mode_url: str | None = None  # what apps.connections.open hands out
        self.latency: dict[str, float] = {}  # method -> seconds before answering (a slow API)
        self.limits = Limits()
        self.rate_limited = 0  # calls refused with a 429 by `limits`
        self.in_flight = self.most_in_flight = 0  # calls being answered at once
        self._arrivals = _Arrivals()
        self._scripted: dict[str, list[Scripted]] = defaultdict(list)
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.base}/respond/{name}"

    def script(
        self,
        method: str,
        status: int,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """The next call to `method` gets this answer instead of the usual one."""
        with self._lock:
            self._scripted[method].append(Scripted(status, body or {}, headers or {}))

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Poll until `count` calls to `method` arrived: work after an ack is asynchronous."""
        deadline = time.monotonic() + timeout
        while True:
            calls = self.calls_to(method)
            if len(calls) >= count:
                return calls
            if time.monotonic() > deadline:
                raise AssertionError(f"{count} call(s) to {method} expected, got {calls!r}")
            time.sleep(0.01)

    def admit(self, call: Call) -> Scripted | None:
        """On arrival: a 429 when the post would go over `limits`."""
        if call.method != "chat.postMessage":
            return None
        channel = dm_channel(str(call.args.get("channel")))
        with self._lock:
            if self._arrivals.admit(self.limits, channel, time.monotonic()):
                return None
            self.rate_limited += 1
        headers = {"Retry-After": str(self.limits.retry_after)}
        return Scripted(429, {"ok": False, "error": "ratelimited"}, headers)

    def record(self, call: Call, refused: Scripted | None = None) -> Scripted:
        with self._lock:
            self.calls.append(call)
            queued = self._scripted.get(call.method)
            if refused is not None:
                scripted = refused
            else:
                scripted = queued.pop(0) if queued else Scripted(200, self.answer(call), {})
            call.answer = scripted.body
        return scripted

    @contextmanager
    def answering(self) -> Iterator[None]:
        with self._lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            yield
        finally:
            with self._lock:
                self.in_flight -= 1

    def posted(self) -> list[Call]:
        """The posts Slack accepted (a refused one is not in the channel)."""
        return [call for call in self.calls_to("chat.postMessage") if call.answer.get("ok")]

    def answer(self, call: Call) -> dict[str, Any]:
        method, args = call.method, call.args
        if method.startswith("respond/"):
            return {"ok": True}
        if method == "apps.connections.open":
            return self._socket_mode_ticket()
        if method == "auth.test":
            return {"ok": True, "user_id": BOT_USER, "bot_id": "BBOT", "team_id": TEAM}
        if method == "users.info":
            return self._user(args.get("user"))
        if method == "users.lookupByEmail":
            found = [uid for uid, u in self.users.items() if u.get("email") == args.get("email")]
            return self._user(found[0]) if found else {"ok": False, "error": "users_not_found"}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(args.get("users"))}}
        if method == "chat.postMessage":
            ts = f"1700000000.{len(self.calls):06d}"
            return {"ok": True, "channel": dm_channel(str(args.get("channel"))), "ts": ts}
        if method == "files.getUploadURLExternal":  # files_upload_v2, step 1 of 3
            file_id = f"F{len(self.calls):07d}"
            return {"ok": True, "upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":  # step 3 (step 2 posts to /upload/ID)
            files = args.get("files") or "[]"
            shared = json.loads(files) if isinstance(files, str) else files
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in shared]}
        if method.startswith("views."):
            return {"ok": True, "view": {"id": "V0VIEW"}}
        return {"ok": True}

    def _socket_mode_ticket(self) -> dict[str, Any]:
        """Slack hands out a fresh URL per connection; refused without an app-level token."""
        if self.socket_mode_url is None:
            return {"ok": False, "error": "not_allowed_token_type"}
        tickets = sum(1 for call in self.calls if call.method == "apps.connections.open")
        return {"ok": True, "url": f"{self.socket_mode_url}?ticket={tickets}"}

    def _user(self, user_id: object) -> dict[str, Any]:
        user = self.users.get(str(user_id))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        profile = {"email": user["email"]} if "email" in user else {}
        return {
            "ok": True,
            "user": {
                "id": user_id,
                "tz": user.get("tz", "Europe/Paris"),
                "locale": user.get("locale", "fr-FR"),
                "profile": profile,
            },
        }


def dm_channel(channel: str) -> str:
    """Posted to a user's id, a message goes to the app's DM with them (Slack answers its id)."""
    return f"D{channel}" if channel[:1] in ("U", "W") else channel


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as Slack: mentorbot keeps its connections
    wbufsize = -1  # an answer leaves in one send: Nagle would hold its body for a delayed ACK

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        path, _, query = self.path.partition("?")
        method = path.removeprefix("/api/").lstrip("/")
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        raw = body.decode("utf-8", errors="replace")  # a file's bytes need not be text (a PNG)
        args: dict[str, Any] = dict(parse_qsl(query))
        if raw and "json" in (self.headers.get("Content-Type") or ""):
            args.update(json.loads(raw))
        elif raw and method.startswith("upload/"):  # a file's bytes, as files_upload_v2 sends
            args["content"], args["bytes"] = raw, body
        elif raw:
            args.update(parse_qsl(raw))
        call = Call(method, args, {k.lower(): v for k, v in self.headers.items()})
        fake: FakeSlack = self.server.fake  # type: ignore[attr-defined]
        refused = fake.admit(call)  # refused at once, as Slack does
        with fake.answering():
            time.sleep(0.0 if refused else fake.latency.get(method, 0.0))
        scripted = fake.record(call, refused)
        payload = json.dumps(scripted.body).encode()
        self.send_response(scripted.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        for key, value in scripted.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        pass
