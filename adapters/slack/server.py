"""Slack over HTTP: `POST /slack/events` handed to Bolt (the serving composition runs it).

The HTTP host is a few lines around `bolt.dispatch` on the standard library's HTTP server, each
request on a thread of its own (so a slow request never delays another's ack), threads kept for
the next requests; put it behind a reverse proxy that terminates TLS. `GET /healthz` answers 200
for load balancers.
"""

from __future__ import annotations

import json
import logging
import queue
import socket
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import slack_bolt
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier

from adapters.slack.acking import ACKING, Acking
from adapters.slack.gate import Refusal, admit

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY = 1_000_000  # Slack's payloads are a few kB; refuse anything absurd


class SlackHandler(BaseHTTPRequestHandler):
    """POST /slack/events → Bolt, once the gate let it through; GET /healthz → 200."""

    server: SlackHTTPServer
    protocol_version = "HTTP/1.1"
    timeout = 10  # seconds a client may take to send its request (a stalled one holds a thread)
    wbufsize = -1  # the status line, headers and body leave in one send, flushed per request

    def __init__(self, request: Any, client_address: Any, server: SlackHTTPServer) -> None:
        # Pending since the accept (server.process_request), until its answer is sent.
        self._pending: Callable[[], None] | None = server.accepted.pop(request, None)
        super().__init__(request, client_address, server)

    def parse_request(self) -> bool:
        if self._pending is None:  # a later request on a kept connection
            self._pending = self.server.acking.begin()
        return super().parse_request()

    def finish(self) -> None:
        self._answered()  # a connection closed without an answer
        super().finish()

    def _answered(self) -> None:
        """The work after acks may run (adapters/slack/acking.py)."""
        if self._pending is not None:
            end, self._pending = self._pending, None
            end()

    def do_GET(self) -> None:
        if self.path.partition("?")[0] == HEALTH_PATH:
            self._send(200, {"Content-Type": ["application/json"]}, json.dumps({"ok": True}))
        else:
            self._send(404, {}, "")

    def do_POST(self) -> None:
        path, _, query = self.path.partition("?")
        if path != EVENTS_PATH:
            self._send(404, {}, "")
            return
        raw = self._body()
        if raw is None:
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        started = time.perf_counter()
        request = admit(raw, headers, query, self.server.verifier)
        if isinstance(request, Refusal):
            self._refuse(request)
            return
        response: BoltResponse = self.server.bolt.dispatch(request)
        self._send(response.status, response.headers, response.body)
        self.server.on_ack(time.perf_counter() - started)

    def _body(self) -> bytes | None:
        """The body as sent, or None once refused (a length that is no ASCII number, too big)."""
        length = self.headers.get("Content-Length") or "0"
        number = length.isascii() and length.isdigit()
        if not number or int(length) > MAX_BODY:
            self._refuse(Refusal(413 if number else 400, "bad or too large Content-Length"))
            return None
        return self.rfile.read(int(length))

    def _refuse(self, refusal: Refusal) -> None:
        log.warning(
            "Slack request from %s refused with %s: %s",
            self.client_address[0],
            refusal.status,
            refusal.reason,
        )
        self._send(refusal.status, {}, "")

    def _send(self, status: int, headers: Mapping[str, Sequence[str]], body: str) -> None:
        payload = body.encode("utf-8")
        self.send_response(status)
        for key, values in headers.items():
            if key.lower() != "content-length":
                for value in values:
                    self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        self._answered()

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s " + format, self.address_string(), *args)


Request = tuple[socket.socket, object]  # an accepted connection and its client's address


class HandlerThreads:
    """Each request on a thread that has nothing else to do, started only when none is idle.

    The standard threading server starts a thread per request, and its accept loop waits for
    each new thread to be scheduled: behind the GIL, under load, that wait was a quarter of the
    ack's thread samples (bench/slack_ack.py, py-spy). Threads are kept between requests, at
    most `KEEP` idle ones; a request is handed only to an idle thread (or a new one), never
    queued behind a busy one.
    """

    KEEP = 32

    def __init__(self, handle: Callable[[socket.socket, object], None]) -> None:
        self._handle = handle
        self._requests: queue.SimpleQueue[Request | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._idle = 0
        self._threads: set[threading.Thread] = set()

    def submit(self, request: socket.socket, client_address: object) -> None:
        with self._lock:
            start = self._idle == 0
            if not start:
                self._idle -= 1  # that thread is this request's
        self._requests.put((request, client_address))
        if start:
            thread = threading.Thread(target=self._serve, name="slack-request", daemon=True)
            with self._lock:
                self._threads.add(thread)
            thread.start()

    def _serve(self) -> None:
        while (item := self._requests.get()) is not None:
            self._handle(*item)
            with self._lock:
                if self._idle >= self.KEEP:
                    break
                self._idle += 1
        with self._lock:
            self._threads.discard(threading.current_thread())

    def join(self) -> None:
        """Requests in progress finish; idle threads end (no new request may come)."""
        with self._lock:
            threads = list(self._threads)
        for _ in threads:
            self._requests.put(None)
        for thread in threads:
            thread.join()


class SlackHTTPServer(HTTPServer):
    request_queue_size = 128

    def __init__(self, bolt: slack_bolt.App, host: str, port: int, acking: Acking = ACKING) -> None:
        super().__init__((host, port), SlackHandler)
        self.handlers = HandlerThreads(self._handle)
        self.bolt = bolt
        self.acking = acking
        self.accepted: dict[socket.socket, Callable[[], None]] = {}  # until a handler takes it
        # The very secret Bolt verifies with (it keeps no public copy): one setting, one check.
        secret = bolt._signing_secret
        self.verifier = SignatureVerifier(secret) if secret.strip() else None
        self.on_ack: Callable[[float], None] = lambda seconds: None  # metrics, when served

    def process_request(self, request: Any, client_address: Any) -> None:
        self.accepted[request] = self.acking.begin()  # pending from its accept
        self.handlers.submit(request, client_address)

    def _handle(self, request: socket.socket, client_address: object) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.accepted.pop(request, lambda: None)()  # a handler that never began
            self.shutdown_request(request)

    def server_close(self) -> None:
        super().server_close()
        self.handlers.join()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hung up is one line; anything else is a bug, with its traceback."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            log.info("Slack request from %s: %r", client_address, error)
        else:
            log.exception("Slack request from %s failed", client_address)


def start_http(bolt: slack_bolt.App, host: str = "127.0.0.1", port: int = 0) -> SlackHTTPServer:
    """Serve in a background thread (tests and the benchmark); `shutdown()` stops it."""
    server = SlackHTTPServer(bolt, host, port)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="slack-http")
    thread.daemon = True
    thread.start()
    return server
