"""Slack as a part of a serving process: the Bolt app over HTTP (Socket Mode: socket_mode.py).

Building the Bolt app calls `auth.test`, so a refused bot token stops start-up here, with one
translated line naming SLACK_BOT_TOKEN, instead of failing on the first command.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import slack_bolt
from slack_bolt.error import BoltError

from adapters.bootstrap import App
from adapters.error_codes import error_code
from adapters.service import StartupRefused
from adapters.slack.app import build_slack_app, web_client
from adapters.slack.server import EVENTS_PATH, SlackHTTPServer

log = logging.getLogger(__name__)


def missing_settings(app: App, socket_mode: bool) -> list[str]:
    settings = app.settings
    missing = [] if settings.slack_bot_token else ["SLACK_BOT_TOKEN"]
    if socket_mode and not settings.slack_app_token:
        missing.append("SLACK_APP_TOKEN")
    if not socket_mode and not settings.slack_signing_secret:
        missing.append("SLACK_SIGNING_SECRET")
    return missing


def bolt_app(app: App, wake: Callable[[], None]) -> slack_bolt.App:
    try:
        return build_slack_app(app, client=web_client(app), on_handled=wake)
    except BoltError as error:  # auth.test refused the token
        raise StartupRefused("slack.bot_token_refused", reason=error_code(error)) from None
    except OSError as error:  # Slack unreachable: also a configuration problem at start
        raise StartupRefused("slack.unreachable", reason=error_code(error)) from None


class SlackHttpService:
    """`POST /slack/events` on its own port, one thread per request."""

    name = "slack"

    def __init__(self, bolt: slack_bolt.App, host: str, port: int, app: App) -> None:
        self.server = SlackHTTPServer(bolt, host, port)
        self.server.on_ack = lambda seconds: app.metrics.acked("slack", seconds)
        self._thread = threading.Thread(
            target=self.server.serve_forever, args=(0.1,), name="slack-http", daemon=True
        )

    def start(self) -> None:
        self._thread.start()
        log.info("Slack over HTTP on %s%s", self.server.url, EVENTS_PATH)

    def status(self) -> dict[str, object]:
        # The token was accepted when the app was built; the server answers while it runs.
        return {"ready": self._thread.is_alive(), "mode": "http"}

    def stop(self, timeout: float) -> None:
        """No new requests; requests in progress finish (their threads are joined)."""
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout)
