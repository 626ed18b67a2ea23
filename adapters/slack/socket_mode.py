"""Slack over Socket Mode, as a `Service`: one websocket to Slack, held up through network blips.

The client is slack_sdk's adapter on websocket-client, not slack_sdk's built-in one. Measured
against a fake Socket Mode server: after a TCP FIN without a close frame, the built-in client
reads the empty read as "no data yet" and spins a core for as long as it takes its stale check
(four ping intervals) to notice, 29 s of CPU in 29 s; websocket-client raises on that read and
was back in 0.5 s for 0.01 s of CPU. websocket-client also sends a close frame when closed. What
the adapter lacks is a pong deadline (it never passes `ping_timeout`, so a server that stops
answering pings is trusted forever): `_Client` passes one. It also counts a session not started
yet as connecting (the adapter opened a second connection at start and after each
`disconnect`), and spaces out the tries while Slack refuses connections (`backoff`).

Every envelope is acknowledged, including those Bolt has no listener for (Bolt answers 404 and
its own adapter then stays silent, so Slack would send the event again).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable
from typing import Any

import slack_bolt
from slack_bolt.adapter.socket_mode.internals import run_bolt_app, send_response
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.socket_mode.websocket_client import SocketModeClient
from websocket import WebSocketApp

from adapters.service import StartupRefused

log = logging.getLogger(__name__)

# A ping every PING_INTERVAL s; no pong within PING_TIMEOUT s means the socket is dead. The
# read loop wakes every PING_TIMEOUT s, so a silent server is noticed within
# PING_INTERVAL + 2 * PING_TIMEOUT = 4.4 s, and the next connection is opened at once.
PING_INTERVAL = 2.0
PING_TIMEOUT = 1.2
MAX_BACKOFF = 4.0
REFUSAL_KEY = "slack.app_token_refused"
_ERROR_CODE = re.compile(r"[a-z0-9_]{1,64}")


def backoff(failures: int) -> float:
    """Seconds before the next try after `failures` connections in a row did not open: a blip
    is retried at once, an outage does not hammer apps.connections.open (Slack's tier 1: a 429
    there makes slack_sdk sleep for Retry-After, far longer than this)."""
    return float(min(MAX_BACKOFF, 0.5 * 2 ** (failures - 1)))


class _Client(SocketModeClient):
    """slack_sdk's websocket-client adapter, with the pong deadline it does not pass on."""

    def __init__(self, app_token: str, *, ping_timeout: float, **options: Any) -> None:
        self._running: WebSocketApp | None = None  # the session the runner thread has started
        self._failures = 0  # sessions in a row that never opened: the next one waits longer
        self._closing = threading.Event()
        options["on_open_listeners"] = [*options.get("on_open_listeners", []), self._opened]
        super().__init__(app_token, **options)
        self.ping_timeout = ping_timeout

    def _opened(self, session: WebSocketApp) -> None:
        self._failures = 0

    def close(self) -> None:
        self._closing.set()  # a backoff in progress ends now
        super().close()

    def is_connected(self) -> bool:
        """A session the runner has not started yet (it does within 0.5 s) counts as
        connecting: without this, the old session's on_close after a `disconnect`, and the
        monitor's first tick at start, each opened one more connection."""
        session = self.current_session
        return session is not None and (session.sock is not None or session is not self._running)

    def _monitor_current_session(self) -> None:
        if self.is_connected():
            return
        super()._monitor_current_session()  # type: ignore[no-untyped-call]

    def _run_current_session(self) -> None:
        """Slack_sdk's own loop body (called again 0.5 s after a session ends), plus the
        deadline: websocket-client raises when a ping goes unanswered, and the adapter's
        on_close then opens a new connection."""
        session = self.current_session
        if session is None:
            return
        if self._failures and self._closing.wait(backoff(self._failures)):
            return
        if session is not self.current_session:  # replaced meanwhile (a `disconnect`)
            return
        self._running = session
        self._failures += 1  # until on_open says otherwise
        try:
            session.run_forever(
                ping_interval=self.ping_interval,
                ping_timeout=self.ping_timeout,
                http_proxy_host=self.http_proxy_host,
                http_proxy_port=self.http_proxy_port,
                http_proxy_auth=self.http_proxy_auth,
                proxy_type=self.proxy_type,
            )
        except Exception:
            log.exception("the Socket Mode session failed; the monitor reconnects")
            session.close()


class SocketModeService:
    """Serves a Bolt app over Socket Mode; ready while a connection Slack greeted is open."""

    name = "slack"

    def __init__(
        self,
        bolt: slack_bolt.App,
        app_token: str,
        *,
        ping_interval: float = PING_INTERVAL,
        ping_timeout: float = PING_TIMEOUT,
        concurrency: int = 10,
        on_ack: Callable[[float], None] = lambda seconds: None,
    ) -> None:
        self.bolt = bolt
        self.on_ack = on_ack  # seconds from envelope to ack: the serving metrics
        self.app_token = app_token
        self._greeted: WebSocketApp | None = None  # the session whose `hello` arrived
        self._connections = 0
        self._lock = threading.Lock()
        self._acks = 0
        self._client = _Client(
            app_token,
            ping_timeout=ping_timeout,
            logger=logging.getLogger(f"{__name__}.client"),
            web_client=bolt.client,
            ping_interval=ping_interval,
            concurrency=concurrency,
            on_message_listeners=[self._on_message],
        )
        self._client.socket_mode_request_listeners.append(self._handle)

    def start(self) -> None:
        """Ask Slack for a connection URL (refused: `StartupRefused`), then connect in the
        client's own threads; `status()` tells when Slack has said hello."""
        self._client.wss_uri = self._first_url()
        self._client.connect()

    def status(self) -> dict[str, object]:
        session = self._client.current_session
        sock = session.sock if session is not None else None
        ready = session is not None and session is self._greeted and bool(sock and sock.connected)
        return {
            "ready": ready,
            "mode": "socket",
            "connections": self._connections,
            "acks": self._acks,
        }

    def stop(self, timeout: float) -> None:
        """Close frame first (Slack stops sending to us), then the client's threads; waits at
        most `timeout` s (a dead peer never answers the close frame)."""
        closer = threading.Thread(target=self._client.close, name="slack-socket-close")
        closer.daemon = True
        closer.start()
        closer.join(timeout)

    def _first_url(self) -> str:
        """`apps.connections.open` with the app token; a token Slack refuses is configuration,
        said in one line, not a traceback nor a retry loop."""
        try:
            response = self.bolt.client.apps_connections_open(app_token=self.app_token)
        except SlackApiError as error:
            status = error.response.status_code
            if status >= 500 or status == 429:
                raise  # Slack's trouble, not ours: the composition reports it
            code = str(error.response.get("error") or "")
            raise StartupRefused(
                REFUSAL_KEY, reason=code if _ERROR_CODE.fullmatch(code) else "?"
            ) from None
        return str(response["url"])

    def _on_message(self, session: WebSocketApp, message: str) -> None:
        """Slack's `hello` opens a connection for business; only then is it ready."""
        if '"hello"' not in message[:100]:  # envelopes are parsed by the client, not twice here
            return
        try:
            hello = json.loads(message).get("type") == "hello"
        except (ValueError, AttributeError):
            return
        if hello:
            with self._lock:
                self._greeted = session
                self._connections += 1

    def _handle(self, client: BaseSocketModeClient, request: SocketModeRequest) -> None:
        """Bolt answers; whatever it answers (even "no listener"), the envelope is acked."""
        started = time.time()
        try:
            response = run_bolt_app(self.bolt, request)
        except Exception:  # Bolt catches its listeners' errors; this is a bug in Bolt or us
            log.exception("Socket Mode envelope %s failed", request.envelope_id)
            response = None
        if response is not None and response.status == 200:
            send_response(client, request, response, started)
        else:
            log.debug("envelope %s (%s) acked without an answer", request.envelope_id, request.type)
            client.send_socket_mode_response(SocketModeResponse(envelope_id=request.envelope_id))
        with self._lock:
            self._acks += 1
        self.on_ack(time.time() - started)
