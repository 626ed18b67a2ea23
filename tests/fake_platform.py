"""A chat platform stand-in on 127.0.0.1 that counts the messages it receives, and a deliverer
that posts to it over real HTTP. Used by the crash and fault tests and by bench/checkins.py.

`Faults` make it behave like a platform under load: a share of calls answered 429 with a
`Retry-After`, a share answered 500, a share answered (successfully) after a long pause.
Only a 200 counts as received: that is what the reader sees.
"""

from __future__ import annotations

import http.client
import json
import random
import socket
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bot.domain import Notification, Person
from bot.outbox import DeliveryFailed


@dataclass(frozen=True)
class Faults:
    rate_limited: float = 0.0  # share of calls answered 429
    retry_after: float = 1.0  # the 429's Retry-After, seconds (fractions allowed)
    errors: float = 0.0  # share answered 500
    slow: float = 0.0  # share answered after `latency` seconds
    latency: float = 2.0
    seed: int = 11


class FakePlatform:
    def __init__(self, faults: Faults | None = None) -> None:
        self.received: Counter[str] = Counter()
        self.first_seen: dict[str, float] = {}  # key -> time.monotonic() of its first 200
        self.order: list[str] = []  # keys in the order they were first received
        self.answers: Counter[int] = Counter()
        self.slow_calls = 0
        self.faults = faults or Faults()
        self.random = random.Random(self.faults.seed)
        self.lock = threading.Lock()
        platform = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the platforms' SDKs use

            def setup(self) -> None:
                super().setup()
                # Headers and body leave in two writes: without this, delayed ACKs add 40 ms.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                status, pause = platform.decide()
                if pause:
                    time.sleep(pause)  # a slow platform; this handler's own thread
                if status == 200:
                    platform.record(body["key"])
                self.answer(status)

            def answer(self, status: int) -> None:
                payload = b'{"ok": true}' if status == 200 else b'{"ok": false}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                if status == 429:
                    self.send_header("Retry-After", str(platform.faults.retry_after))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/post"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def decide(self) -> tuple[int, float]:
        faults = self.faults
        with self.lock:
            roll = self.random.random()
            slow = self.random.random() < faults.slow
        if roll < faults.rate_limited:
            status = 429
        elif roll < faults.rate_limited + faults.errors:
            status = 500
        else:
            status = 200
        slow = slow and status == 200
        with self.lock:
            self.answers[status] += 1
            self.slow_calls += slow
        return status, faults.latency if slow else 0.0

    def record(self, key: str) -> None:
        with self.lock:
            if key not in self.received:
                self.first_seen[key] = time.monotonic()
                self.order.append(key)
            self.received[key] += 1

    def __enter__(self) -> FakePlatform:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def total(self) -> int:
        with self.lock:
            return sum(self.received.values())


class HttpDeliverer:
    """Posts each notification's idempotency key: a real HTTP round trip per message, on a
    kept-alive connection as the platforms' SDKs do; a 429 or a 5xx becomes what the real
    deliverers raise."""

    def __init__(self, url: str) -> None:
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port, self.path = parsed.hostname or "", parsed.port or 80, parsed.path
        self.connection: http.client.HTTPConnection | None = None

    def deliver(self, recipient: Person | None, notification: Notification) -> str | None:
        body = json.dumps({"key": notification.idempotency_key}).encode()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
            self.connection.request("POST", self.path, body, {"Content-Type": "application/json"})
            response = self.connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection = None
            raise DeliveryFailed(str(error)) from error
        if response.status == 429:
            wait = float(response.headers.get("Retry-After") or 1)
            raise DeliveryFailed("429 rate limited", retry_after=wait)
        if response.status >= 400:
            raise DeliveryFailed(f"HTTP {response.status}")
        return None
