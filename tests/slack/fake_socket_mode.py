"""A fake Slack Socket Mode server on 127.0.0.1: plain `ws://`, stdlib only.

Each connection gets `hello`, then whatever the test sends (envelopes, `disconnect`); every
text frame the client sends back (acks) is recorded, and so is its close frame. The test can
also misbehave like a network: drop the TCP connection without a close frame (a FIN, as a load
balancer does), or keep it open and stop answering pings (a half-dead connection).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import itertools
import json
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA
_envelopes = itertools.count(1)
T = TypeVar("T")


@dataclass
class Connection:
    """One accepted websocket: what it received, and how it ended."""

    number: int
    sock: socket.socket
    path: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)
    pings: int = 0
    close_code: int | None = None  # the client's close frame, when it sent one
    answer_pings: bool = True
    opened_at: float = field(default_factory=time.monotonic)
    ended_at: float | None = None
    _send_lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, message: dict[str, Any]) -> None:
        self.frame(TEXT, json.dumps(message).encode())

    def frame(self, opcode: int, payload: bytes) -> None:
        """Server frames are not masked (RFC 6455 §5.1)."""
        length = len(payload)
        if length < 126:
            header = struct.pack("!BB", 0x80 | opcode, length)
        elif length < 1 << 16:
            header = struct.pack("!BBH", 0x80 | opcode, 126, length)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 127, length)
        with self._send_lock:
            self.sock.sendall(header + payload)

    def drop(self) -> None:
        """End the TCP connection with a FIN and no close frame."""
        with contextlib.suppress(OSError):  # already gone
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()

    @property
    def alive(self) -> bool:
        return self.ended_at is None


class FakeSocketMode:
    """Accepts any number of connections; the latest one is where `send` goes."""

    def __init__(self) -> None:
        self.connections: list[Connection] = []
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._stopping = False
        self.refusing = False  # an outage: handshakes are answered 503 while True
        self.refused = 0
        self._thread = threading.Thread(target=self._accept, daemon=True, name="fake-socket")

    def start(self) -> FakeSocketMode:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping = True
        self._listener.close()
        for connection in list(self.connections):
            connection.drop()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._listener.getsockname()[1]}/link/"

    # --- what the test does ------------------------------------------------------------

    def send(self, kind: str, payload: dict[str, Any], **extra: Any) -> str:
        """Send an envelope on the latest connection; returns its envelope id."""
        envelope_id = f"env-{next(_envelopes)}"
        message = {"envelope_id": envelope_id, "type": kind, "payload": payload, **extra}
        self.latest().send(message)
        return envelope_id

    def disconnect(self, reason: str = "refresh_requested") -> None:
        self.latest().send({"type": "disconnect", "reason": reason, "debug_info": {}})

    def latest(self) -> Connection:
        with self._lock:
            return self.connections[-1]

    def acks(self) -> dict[str, dict[str, Any]]:
        """Every ack received, on any connection, by envelope id."""
        with self._lock:
            found = [m for c in self.connections for m in c.received if "envelope_id" in m]
        return {str(m["envelope_id"]): m for m in found}

    def wait_for_ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        return self.wait(lambda: self.acks().get(envelope_id), timeout, f"ack of {envelope_id}")

    def wait_for_connection(self, count: int, timeout: float = 15.0) -> Connection:
        """Wait until `count` connections have been opened and the last one is alive."""

        def opened() -> Connection | None:
            with self._lock:
                if len(self.connections) >= count and self.connections[-1].alive:
                    return self.connections[-1]
            return None

        return self.wait(opened, timeout, f"connection #{count}")

    def wait(self, found: Callable[[], T | None], timeout: float, what: str) -> T:
        deadline = time.monotonic() + timeout
        while (value := found()) is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"{what} expected within {timeout} s")
            time.sleep(0.01)
        return value

    # --- the server ----------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._stopping:
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock: socket.socket) -> None:
        with self._lock:
            connection = Connection(len(self.connections) + 1, sock)
        try:
            if self.refusing:
                _refuse(sock)
                self.refused += 1
                return
            connection.path = _handshake(sock)
            with self._lock:
                self.connections.append(connection)
            connection.send(_hello())
            self._read(connection)
        except (OSError, ConnectionError, ValueError):
            pass
        finally:
            connection.ended_at = time.monotonic()
            sock.close()

    def _read(self, connection: Connection) -> None:
        reader = connection.sock.makefile("rb")
        while True:
            opcode, payload = _read_frame(reader)
            if opcode == TEXT:
                with self._lock:
                    connection.received.append(json.loads(payload))
            elif opcode == PING:
                connection.pings += 1
                if connection.answer_pings:
                    connection.frame(PONG, payload)
            elif opcode == CLOSE:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                connection.close_code = code
                connection.frame(CLOSE, struct.pack("!H", 1000))
                return


def _request(sock: socket.socket) -> list[str]:
    request = b""
    while b"\r\n\r\n" not in request:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("closed during the handshake")
        request += chunk
    return request.decode("latin-1").split("\r\n")


def _refuse(sock: socket.socket) -> None:
    _request(sock)
    sock.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")


def _handshake(sock: socket.socket) -> str:
    lines = _request(sock)
    headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}
    accept = base64.b64encode(
        hashlib.sha1((headers["sec-websocket-key"] + GUID).encode()).digest()
    ).decode()
    sock.sendall(
        (
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Accept: {accept}\r\n\r\n"
        ).encode()
    )
    return lines[0].split(" ")[1]


def _read_frame(reader: Any) -> tuple[int, bytes]:
    """One client frame (always masked), unmasked; fragments are not needed here."""
    head = _exactly(reader, 2)
    opcode, length = head[0] & 0x0F, head[1] & 0x7F
    if length == 126:
        length = struct.unpack("!H", _exactly(reader, 2))[0]
    elif length == 127:
        length = struct.unpack("!Q", _exactly(reader, 8))[0]
    mask = _exactly(reader, 4) if head[1] & 0x80 else b"\0\0\0\0"
    data = _exactly(reader, length)
    return opcode, bytes(b ^ mask[i % 4] for i, b in enumerate(data))


def _exactly(reader: Any, count: int) -> bytes:
    data: bytes = reader.read(count)
    if len(data) < count:
        raise ConnectionError("closed")
    return data


def _hello() -> dict[str, Any]:
    return {
        "type": "hello",
        "num_connections": 1,
        "debug_info": {"host": "applink-fake", "approximate_connection_time": 18060},
        "connection_info": {"app_id": "A0MENTORBOT"},
    }
