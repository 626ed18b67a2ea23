"""`mentorbot slack`: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on /slack/events.

The HTTP host is a few lines around `bolt.dispatch` on the standard library's threading server
(one thread per request, so a slow request never delays another's ack); put it behind a
reverse proxy that terminates TLS. `GET /healthz` answers 200 for load balancers.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import slack_bolt
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.error import BoltError
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

from adapters.bootstrap import App
from adapters.delivery import DeliveryLoop
from adapters.slack.app import build_slack_app, web_client
from adapters.slack.deliver import SlackDeliverer, delivery_client

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY = 1_000_000  # Slack's payloads are a few kB; refuse anything absurd


class SlackHandler(BaseHTTPRequestHandler):
    """POST /slack/events → Bolt (which verifies the signature); GET /healthz → 200."""

    server: SlackHTTPServer
    protocol_version = "HTTP/1.1"

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
        length = self.headers.get("Content-Length") or "0"
        if not length.isdigit() or int(length) > MAX_BODY:
            self._send(413 if length.isdigit() else 400, {}, "")
            return
        body = self.rfile.read(int(length)).decode("utf-8", errors="replace")
        headers: dict[str, str | Sequence[str]] = {k.lower(): v for k, v in self.headers.items()}
        response: BoltResponse = self.server.bolt.dispatch(
            BoltRequest(body=body, query=query, headers=headers)
        )
        self._send(response.status, response.headers, response.body)

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

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


def start_http(bolt: slack_bolt.App, host: str = "127.0.0.1", port: int = 0) -> SlackHTTPServer:
    """Serve in a background thread (tests and the benchmark); `shutdown()` stops it."""
    server = SlackHTTPServer(bolt, host, port)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="slack-http")
    thread.daemon = True
    thread.start()
    return server


def missing_settings(app: App, socket_mode: bool) -> list[str]:
    settings = app.settings
    missing = [] if settings.slack_bot_token else ["SLACK_BOT_TOKEN"]
    if socket_mode and not settings.slack_app_token:
        missing.append("SLACK_APP_TOKEN")
    if not socket_mode and not settings.slack_signing_secret:
        missing.append("SLACK_SIGNING_SECRET")
    return missing


def serve(app: App, args: argparse.Namespace) -> int:
    socket_mode = app.settings.slack_app_token is not None and not args.http
    missing = missing_settings(app, socket_mode)
    if missing:
        mode = "Socket Mode" if socket_mode else "HTTP mode"
        print(f"mentorbot slack ({mode}) needs {', '.join(missing)}.", file=sys.stderr)
        return 2
    if not app.settings.slack_advisors_channel:
        log.warning("SLACK_ADVISORS_CHANNEL is not set: advisor alerts will wait in the outbox")
    loop = None
    if not args.no_scheduler:
        worker = app.outbox_worker(SlackDeliverer(app, delivery_client(app)), platforms=("slack",))
        loop = DeliveryLoop(worker).start()
    try:
        bolt = build_slack_app(app, client=web_client(app), on_handled=_waker(loop))
        return _run(app, bolt, socket_mode, args.port)
    except (BoltError, OSError) as error:  # auth.test refused the token, or Slack unreachable
        print(f"mentorbot slack could not start: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        if loop is not None:
            loop.stop()


def _waker(loop: DeliveryLoop | None) -> Callable[[], None]:
    return loop.wake if loop is not None else (lambda: None)


def _run(app: App, bolt: slack_bolt.App, socket_mode: bool, port: int) -> int:
    if socket_mode:
        token = app.settings.slack_app_token
        assert token is not None
        print("mentorbot: Slack Socket Mode", file=sys.stderr)
        handler = SocketModeHandler(bolt, token.get_secret_value())
        handler.start()  # type: ignore[no-untyped-call]
        return 0
    server = SlackHTTPServer(bolt, "0.0.0.0", port)
    print(f"mentorbot: Slack HTTP on :{port}{EVENTS_PATH} (health: {HEALTH_PATH})", file=sys.stderr)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0
