"""A chat platform stand-in on 127.0.0.1 that counts the messages it receives, and a deliverer
that posts to it over real HTTP. Used by the crash test and by bench/checkins.py."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import urllib.parse
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bot.domain import Notification, Person
from bot.outbox import DeliveryFailed


class FakePlatform:
    def __init__(self) -> None:
        self.received: Counter[str] = Counter()
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
                with platform.lock:
                    platform.received[body["key"]] += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "12")
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/post"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

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
    kept-alive connection as the platforms' SDKs do."""

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
            self.connection.getresponse().read()
        except (OSError, http.client.HTTPException) as error:
            self.connection = None
            raise DeliveryFailed(str(error)) from error
        return None
