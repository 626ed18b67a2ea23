"""A fake Discord gateway (v10) on 127.0.0.1, for the real discord.py client to connect to.

It speaks what discord.py 2.7 expects of `wss://gateway.discord.gg/?v=10&encoding=json&
compress=zlib-stream`: HELLO, IDENTIFY → READY (+ GUILD_CREATE), heartbeats and their ACKs,
RESUME → the missed events then RESUMED (or INVALID_SESSION), and dispatches with per-session
sequence numbers. As Discord does for an unsharded bot, every session gets every event: two
processes connected with one token both see each DM and each interaction.

Transport compression is one zlib stream per connection, each message ending with a
`Z_SYNC_FLUSH` (`00 00 ff ff`), which is what discord.py's decompressor waits for.
It runs in the test's event loop (`await gateway.start()`) or, for a subprocess under test,
in a `BackgroundLoop` thread of the test process.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import threading
import time
import zlib
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import WSMsgType, web

from tests.discord.fake_discord import APP_ID, BOT_ID, user

T = TypeVar("T")

DISPATCH, HEARTBEAT, IDENTIFY, RESUME, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 0, 1, 2, 6, 9, 10, 11
HEARTBEAT_INTERVAL_MS = 41250  # Discord's usual value; discord.py heartbeats at once, then so
AUTHENTICATION_FAILED = 4004
CLIENT_ENDED = (1000, 1001)  # a client closing with these ends its session (no RESUME)


@dataclass
class Session:
    """What Discord keeps for one IDENTIFY: its id, its sequence and what it was sent, so a
    RESUME can replay what the connection missed."""

    session_id: str
    identify: dict[str, Any]
    seq: int = 0
    sent: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)
    connection: Connection | None = None
    resumable: bool = True
    events: list[str] = field(default_factory=list)  # names of the events sent, in order


@dataclass(eq=False)  # one per websocket, kept in a set
class Connection:
    ws: web.WebSocketResponse
    request: web.Request
    query: dict[str, str]
    compressor: Any = None  # zlib.compressobj when compress=zlib-stream
    session: Session | None = None
    closed_by_us: bool = False
    heartbeats: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def send(self, message: dict[str, Any]) -> None:
        """One gateway message; compressed frames stay in stream order (hence the lock)."""
        text = json.dumps(message)
        async with self.lock:
            if self.ws.closed:
                return
            try:
                if self.compressor is None:
                    await self.ws.send_str(text)
                else:
                    frame = self.compressor.compress(text.encode())
                    await self.ws.send_bytes(frame + self.compressor.flush(zlib.Z_SYNC_FLUSH))
            except (ConnectionResetError, RuntimeError):
                pass  # the client is gone; a session's events wait for its RESUME


class FakeGateway:
    """A gateway that records its sessions: `identifies` (IDENTIFY payloads), `resumes`,
    `close_codes` received from clients, `queries` (each connection's URL query)."""

    def __init__(
        self,
        *,
        token: str | None = None,
        guilds: list[dict[str, Any]] | None = None,
        heartbeat_interval_ms: int = HEARTBEAT_INTERVAL_MS,
    ) -> None:
        self.sock = _bind(0)  # reserved now, so settings can name the URL before the loop runs
        self.port = self.sock.getsockname()[1]
        self.token = token  # None: any token is accepted
        self.guilds = list(guilds or [])  # GUILD_CREATE payloads sent after READY
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.sessions: dict[str, Session] = {}
        self.identifies: list[dict[str, Any]] = []
        self.resumes: list[dict[str, Any]] = []
        self.close_codes: list[int] = []
        self.queries: list[dict[str, str]] = []
        self.refuse_resume = False  # answer RESUME with INVALID_SESSION (d=false)
        self._connections: set[Connection] = set()
        self._session_ids = itertools.count(1)
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """What DISCORD_GATEWAY_URL names: discord.py adds `?v=10&encoding=json&compress=…`."""
        return f"ws://127.0.0.1:{self.port}/"

    @property
    def resume_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/resume"

    @property
    def identified(self) -> int:
        """Sessions connected right now."""
        return sum(1 for c in self._connections if c.session is not None and not c.ws.closed)

    def live(self) -> list[Session]:
        return [s for s in self.sessions.values() if s.connection is not None]

    # -- serving -----------------------------------------------------------------------------

    async def start(self) -> None:
        if self.sock.fileno() == -1:  # served before: the server closed the socket
            self.sock = _bind(self.port)
        app = web.Application()
        app.router.add_get("/{tail:.*}", self._serve)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        await web.SockSite(self._runner, self.sock).start()

    async def stop(self) -> None:
        await self.drop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def close(self) -> None:
        self.sock.close()

    async def _serve(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        query = dict(request.query)
        self.queries.append(query)
        compress = query.get("compress")
        connection = Connection(ws, request, query)
        if compress == "zlib-stream":
            connection.compressor = zlib.compressobj()
        elif compress is not None or query.get("encoding", "json") != "json":
            # zstd-stream or etf: this fake only speaks what discord.py asks for here.
            await ws.close(code=4002, message=b"fake gateway: json and zlib-stream only")
            return ws
        self._connections.add(connection)
        try:
            hello = {"heartbeat_interval": self.heartbeat_interval_ms}
            await connection.send({"op": HELLO, "d": hello, "s": None, "t": None})
            async for message in ws:
                if message.type is WSMsgType.TEXT:
                    await self._receive(connection, json.loads(message.data))
        finally:
            self._ended(connection)
        return ws

    def _ended(self, connection: Connection) -> None:
        self._connections.discard(connection)
        code = connection.ws.close_code
        if not connection.closed_by_us and code is not None:
            self.close_codes.append(code)
        session = connection.session
        if session is not None and session.connection is connection:
            session.connection = None
            if not connection.closed_by_us and code in CLIENT_ENDED:
                session.resumable = False

    async def _receive(self, connection: Connection, message: dict[str, Any]) -> None:
        op, data = message.get("op"), message.get("d")
        if op == HEARTBEAT:
            connection.heartbeats += 1
            await connection.send({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == IDENTIFY:
            await self._identify(connection, data or {})
        elif op == RESUME:
            await self._resume(connection, data or {})

    async def _identify(self, connection: Connection, data: dict[str, Any]) -> None:
        self.identifies.append(data)
        if self.token is not None and data.get("token") != self.token:
            await self._close(connection, AUTHENTICATION_FAILED)
            return
        session = Session(f"fake-session-{next(self._session_ids)}", data)
        self.sessions[session.session_id] = session
        self._attach(connection, session)
        await self._send_event(session, "READY", self._ready(session, data))
        for guild in self.guilds:
            await self._send_event(session, "GUILD_CREATE", guild)

    async def _resume(self, connection: Connection, data: dict[str, Any]) -> None:
        self.resumes.append(data)
        session = self.sessions.get(str(data.get("session_id")))
        if self.refuse_resume or session is None or not session.resumable:
            await connection.send({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        old = session.connection
        if old is not None and old is not connection:
            await self._close(old, 4000)
        self._attach(connection, session)
        after = int(data.get("seq") or 0)
        for seq, event, payload in list(session.sent):
            if seq > after:
                await connection.send({"op": DISPATCH, "t": event, "s": seq, "d": payload})
        await self._send_event(session, "RESUMED", {})

    def _attach(self, connection: Connection, session: Session) -> None:
        connection.session = session
        session.connection = connection

    def _ready(self, session: Session, identify: dict[str, Any]) -> dict[str, Any]:
        ready: dict[str, Any] = {
            "v": 10,
            "user": user(BOT_ID, "mentorbot", bot=True),
            "guilds": [{"id": guild["id"], "unavailable": True} for guild in self.guilds],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.resume_url,
            "application": {"id": str(APP_ID), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "auth": {},
        }
        if "shard" in identify:
            ready["shard"] = identify["shard"]
        return ready

    async def _send_event(self, session: Session, event: str, data: dict[str, Any]) -> int:
        """Numbered and kept for a RESUME; sent now if the session is connected."""
        session.seq += 1
        session.sent.append((session.seq, event, data))
        session.events.append(event)
        if session.connection is not None:
            await session.connection.send({"op": DISPATCH, "t": event, "s": session.seq, "d": data})
        return session.seq

    async def _close(self, connection: Connection, code: int) -> None:
        connection.closed_by_us = True
        await connection.ws.close(code=code)

    # -- what tests do -----------------------------------------------------------------------

    async def dispatch(self, event: str, data: dict[str, Any]) -> list[int]:
        """Send an event to every resumable session (buffered for those disconnected now);
        returns the sequence number each session gave it."""
        sessions = [s for s in self.sessions.values() if s.resumable]
        return [await self._send_event(session, event, data) for session in sessions]

    async def drop(self, session_id: str | None = None) -> None:
        """Cut the TCP connection without a close frame (a network failure): the client
        RESUMEs."""
        for connection in self._matching(session_id):
            connection.closed_by_us = True
            if connection.session is not None:  # what follows is kept for its RESUME
                connection.session.connection = None
            if connection.request.transport is not None:
                connection.request.transport.abort()

    async def close_with(self, code: int, session_id: str | None = None) -> None:
        """Close connections with a gateway close code (4000: resume; 4004: bad token …)."""
        for connection in self._matching(session_id):
            await self._close(connection, code)

    async def reconnect(self, session_id: str | None = None) -> None:
        """Op 7: Discord asks the client to reconnect and resume."""
        for connection in self._matching(session_id):
            await connection.send({"op": 7, "d": None, "s": None, "t": None})

    def _matching(self, session_id: str | None) -> list[Connection]:
        return [
            c
            for c in list(self._connections)
            if c.session is not None and (session_id is None or c.session.session_id == session_id)
        ]

    async def wait_until(self, condition: Any, *, timeout: float = 10.0, what: str = "") -> None:
        """Poll `condition()` (the client connects and resumes on its own schedule)."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"gateway: not {what or condition} within {timeout}s")
            await asyncio.sleep(0.01)

    async def wait_identified(self, count: int = 1, *, timeout: float = 10.0) -> None:
        await self.wait_until(
            lambda: self.identified >= count, timeout=timeout, what=f"{count} identified"
        )


class BackgroundLoop:
    """An event loop in a daemon thread, to host the fakes while a subprocess (or a client
    running its own `asyncio.run`) talks to them; `run` waits for a coroutine's result."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 20.0) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()


def _bind(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    return sock
