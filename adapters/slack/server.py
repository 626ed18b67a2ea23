"""Slack over HTTP: `POST /slack/events` handed to Bolt (the serving composition runs it).

The HTTP host is a few lines around `bolt.dispatch` on the standard library's threading server
(one thread per request, so a slow request never delays another's ack); put it behind a
reverse proxy that terminates TLS. `GET /healthz` answers 200 for load balancers.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import slack_bolt
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier

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

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s " + format, self.address_string(), *args)


class SlackHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, bolt: slack_bolt.App, host: str, port: int) -> None:
        super().__init__((host, port), SlackHandler)
        self.bolt = bolt
        # The very secret Bolt verifies with (it keeps no public copy): one setting, one check.
        secret = bolt._signing_secret
        self.verifier = SignatureVerifier(secret) if secret.strip() else None
        self.on_ack: Callable[[float], None] = lambda seconds: None  # metrics, when served

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
