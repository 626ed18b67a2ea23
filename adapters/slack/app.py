"""The composition for Slack: a Bolt app wired to mentorbot's core, used by the CLI and tests."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import slack_bolt
from slack_bolt.logger import get_bolt_logger
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient

from adapters.bootstrap import App
from adapters.slack.dedupe import EventDeduplication
from adapters.slack.forms import extra_buttons
from adapters.slack.home import HomeTab
from adapters.slack.identity import SlackIdentity
from adapters.slack.listeners import Listeners
from adapters.slack.modals import FormOpener
from adapters.slack.render import SlackRenderer
from adapters.slack.runner import CommandRunner
from adapters.slack.shapes import Malformed
from adapters.slack.targets import Background

log = logging.getLogger(__name__)


class _ClientGivenOnPurpose(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment behind our back and, as we give it a
    client (ours carries SLACK_API_URL), warns at every start that the token "will be unused".
    The client holds that very token: the warning says nothing true, so it is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


_CLIENT_GIVEN = _ClientGivenOnPurpose()


def web_client(app: App) -> WebClient:
    """Bolt's own client: the default handlers only, none that sleeps on a 429 (see deliver.py)."""
    token = app.settings.slack_bot_token
    return WebClient(
        token=token.get_secret_value() if token else None, base_url=app.settings.slack_api_url
    )


def build_slack_app(
    app: App,
    *,
    client: WebClient | None = None,
    on_handled: Callable[[], None] = lambda: None,
    background: Background | None = None,
    inline: bool = False,
) -> slack_bolt.App:
    """Bolt with its signature check, our event dedupe, and one listener per kind of payload.

    Constructing it calls `auth.test` (Bolt checks the token eagerly), so a wrong token or
    SLACK_API_URL fails at start rather than on the first command.
    """
    client = client or web_client(app)
    get_bolt_logger(slack_bolt.App).addFilter(_CLIENT_GIVEN)  # idempotent: one filter object
    secret = app.settings.slack_signing_secret
    bolt = slack_bolt.App(
        client=client,
        signing_secret=secret.get_secret_value() if secret else "",
        # Our listeners only read the payload, ack and hand the work to `background`: running
        # them before answering costs nothing and spares Bolt's hand-off to its own pool, whose
        # wait for the ack polls every 10 ms (and queues behind the GIL when work is running).
        process_before_response=True,
        # The HTTP host verified the signature before anything read the body (server.py, gate.py);
        # Bolt's own check of it again was a second HMAC per ack. Socket Mode has none to check.
        request_verification_enabled=False,
        name="mentorbot",
    )
    bolt.use(EventDeduplication(app.clock))
    identity = SlackIdentity(app.core, client, app.clock)
    programme = SlackRenderer(app.settings.locale, app.settings.timezone)
    runner = CommandRunner(
        app,
        identity,
        background or Background(inline=inline, limit=app.settings.slack_work_queue),
        on_handled=on_handled,
        extras=extra_buttons,
    )
    Listeners(runner, FormOpener(identity, programme), HomeTab(app, identity)).register(bolt)
    bolt.error(_log_error)
    return bolt


def _log_error(
    error: Exception, body: dict[str, Any], response: BoltResponse | None
) -> BoltResponse | None:
    """Errors in the ack path, in one line; the work itself reports its own errors to the person.
    A payload a listener could not read (`Malformed`, before its ack) is answered 400 at once."""
    kind = body.get("type") or body.get("command")
    if isinstance(error, Malformed):
        log.warning("Slack request %r refused: %s", kind, error)
        return BoltResponse(status=400, body="") if response is not None else None
    log.error("Slack request %r failed: %r", kind, error)
    return None
