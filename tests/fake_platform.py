"""A chat platform stand-in on 127.0.0.1 that counts the messages it receives, and a deliverer
that posts to it over real HTTP. Used by the crash test and by bench/checkins.py."""

from __future__ import annotations

import json
import threading
import urllib.request
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
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with platform.lock:
                    platform.received[body["key"]] += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
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
    """Posts each notification's idempotency key; a real HTTP round trip per message."""

    def __init__(self, url: str) -> None:
        self.url = url

    def deliver(self, recipient: Person | None, notification: Notification) -> str | None:
        body = json.dumps({"key": notification.idempotency_key}).encode()
        request = urllib.request.Request(
            self.url, body, {"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
        except OSError as error:
            raise DeliveryFailed(str(error)) from error
        return None
