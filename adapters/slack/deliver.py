"""The outbox's Slack deliverer: DMs to people, posts with buttons to the advisors channel.

It runs in the delivery worker's senders, never in a request, and keeps Slack's limits itself:
`chat.postMessage` at most 1 message per second per channel (the advisors' channel, each DM) and
`MENTORBOT_SLACK_MESSAGES_PER_SECOND` workspace-wide, the other methods their documented tier.
A DM is posted to the user's id, which Slack routes to the app's DM with them: no
`conversations.open` (a Tier 3 method, 50 a minute) per new reader.
A 429 pauses that method for its `Retry-After` and becomes `DeliveryFailed(retry_after=…)`, so
the outbox reschedules the message instead of a thread sleeping on it; a 5xx or a network
error is retried with backoff; an error that no retry can fix (the user or channel is gone) is
permanent. Someone with no Slack id is looked up by email; when nobody in the workspace has that
email they are `Unreachable`, and their messages wait until they link.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from adapters.bootstrap import App
from adapters.rate_limits import Limit, Pauses, RateLimiter, TooLong
from adapters.slack.files import upload_files
from adapters.slack.identity import PLATFORM
from adapters.slack.render import SlackRenderer, message
from bot.domain import Notification, Person
from bot.outbox import DeliveryFailed, Unreachable
from bot.replies import Reply, Text

log = logging.getLogger(__name__)

DEFAULT_RETRY_AFTER = 30.0
CALL_TIMEOUT = 15  # seconds per Web API call
PER_CHANNEL = Limit(1, 1.0)  # chat.postMessage: "one message per second per channel"
TIERS = {  # https://docs.slack.dev/apis/web-api/rate-limits: per method, per workspace
    "chat.update": Limit(50, 60.0),  # Tier 3, 50+ per minute
    "users.lookupByEmail": Limit(50, 60.0),  # Tier 3
}
MAX_WAIT = 5.0  # seconds a sender sleeps for room; longer, the outbox reschedules the message
REF_PREFIX = "slack:"
PERMANENT_ERRORS = frozenset(
    {
        "user_not_found",
        "users_not_found",
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "cannot_dm_bot",
        "user_disabled",
        "user_not_visible",
        "invalid_blocks",
        "msg_too_long",
        "no_text",
    }
)


def delivery_client(app: App) -> WebClient:
    """A client of its own, with no retry handler: the outbox decides when to try again. Its
    timeout stays well inside the outbox lease, which the delivery loop renews meanwhile."""
    token = app.settings.slack_bot_token
    return WebClient(
        token=token.get_secret_value() if token else None,
        base_url=app.settings.slack_api_url,
        timeout=CALL_TIMEOUT,
        retry_handlers=[],
    )


def failure(error: SlackApiError) -> DeliveryFailed:
    """Slack's answer → how the outbox should treat it."""
    status = error.response.status_code
    code = str(error.response.get("error") or f"HTTP {status}")
    if status == 429:
        header = error.response.headers.get("Retry-After") or error.response.headers.get(
            "retry-after"
        )
        try:
            wait = float(header) if header is not None else DEFAULT_RETRY_AFTER
        except ValueError:
            wait = DEFAULT_RETRY_AFTER
        return DeliveryFailed(f"rate limited: {code}", retry_after=wait)
    if status >= 500:
        return DeliveryFailed(f"Slack unavailable: {code}")
    return DeliveryFailed(code, permanent=code in PERMANENT_ERRORS)


def _call(method: Callable[..., Any], **kwargs: Any) -> Any:
    try:
        return method(**kwargs)
    except SlackApiError as error:
        raise failure(error) from error
    except (URLError, OSError) as error:  # Slack unreachable: a transient failure
        raise DeliveryFailed(f"Slack unreachable: {error}") from error


class SlackLimits:
    """Slack's limits for one workspace, kept before each call, and the pauses its 429s ask."""

    def __init__(self, app: App, limiter: RateLimiter | None = None) -> None:
        self.workspace = Limit.per_second(app.settings.slack_messages_per_second)
        self.limiter = limiter or RateLimiter()
        self.pauses = Pauses(app.clock.now)

    def of(self, method: str, channel: str | None = None) -> dict[str, Limit]:
        if method == "chat.postMessage":
            return {method: self.workspace, f"{method}:{channel}": PER_CHANNEL}
        tier = TIERS.get(method)
        return {method: tier} if tier is not None else {}

    def call(self, method: str, call: Callable[..., Any], **kwargs: Any) -> Any:
        """`call(**kwargs)` once the limits have room; a 429 pauses them all."""
        limits = self.of(method, kwargs.get("channel"))
        names = list(limits)
        paused = self.pauses.remaining(names)
        if paused > 0:
            raise DeliveryFailed(f"{method} paused after a 429", retry_after=paused)
        try:
            with self.limiter.call(limits, MAX_WAIT):
                return _call(call, **kwargs)
        except TooLong as full:
            raise DeliveryFailed(f"{method}: {full}", retry_after=full.wait) from full
        except DeliveryFailed as failed:
            if failed.retry_after is not None:
                self.pauses.pause(names, failed.retry_after)
            raise


def _our_message(ref: str | None) -> tuple[str, str] | None:
    """(channel, ts) of a message this deliverer posted; another platform's ref is not ours."""
    if not ref or not ref.startswith(REF_PREFIX):
        return None
    channel, _, ts = ref.removeprefix(REF_PREFIX).partition(":")
    return (channel, ts) if channel and ts else None


class SlackDeliverer:
    def __init__(self, app: App, client: WebClient, limits: SlackLimits | None = None) -> None:
        self.app = app
        self.client = client
        self.limits = limits or SlackLimits(app)

    def deliver(self, recipient: Person | None, notification: Notification) -> str | None:
        """Post (or edit, when it updates an earlier post of ours); returns `slack:CHANNEL:TS`."""
        channel, payload = self._message(recipient, notification)
        edited = _our_message(notification.edit_ref)
        if edited is not None:
            try:
                self.limits.call(
                    "chat.update",
                    self.client.chat_update,
                    channel=edited[0],
                    ts=edited[1],
                    **payload,
                )
                return notification.edit_ref
            except DeliveryFailed as failed:
                if not failed.permanent:
                    raise
                log.info("cannot edit %s (%s): posting anew", notification.edit_ref, failed)
        response = self.limits.call(
            "chat.postMessage",
            self.client.chat_postMessage,
            channel=channel,
            unfurl_links=False,
            unfurl_media=False,
            **payload,
        )
        upload_files(self.client, str(response["channel"]), notification.attachments)
        return f"{REF_PREFIX}{response['channel']}:{response['ts']}"

    def _message(
        self, recipient: Person | None, notification: Notification
    ) -> tuple[str, dict[str, Any]]:
        """Where it goes, and the message in its reader's language and time."""
        reply = Reply((Text(notification.key, notification.params),), notification.choices)
        if recipient is not None:
            renderer = SlackRenderer(recipient.locale, recipient.timezone)
            return self._slack_user(recipient), message(reply, renderer)
        settings = self.app.settings
        if not settings.slack_advisors_channel:
            raise DeliveryFailed("SLACK_ADVISORS_CHANNEL is not set")
        # Many readers: mrkdwn with <!date^…> so each sees their own time.
        renderer = SlackRenderer(settings.locale, settings.timezone, slack_dates=True)
        return settings.slack_advisors_channel, message(reply, renderer, markup=True)

    def _slack_user(self, person: Person) -> str:
        """The roster's or an earlier link's Slack id, else `users.lookupByEmail` (then linked)."""
        known = self.app.core.views.account(person.id, PLATFORM)
        if known is not None:
            return known
        try:
            response = self.limits.call(
                "users.lookupByEmail", self.client.users_lookupByEmail, email=person.email
            )
        except DeliveryFailed as failed:
            if failed.permanent:  # `users_not_found`: no one in the workspace has that email
                raise Unreachable(f"{person.email} is not on Slack: {failed}") from failed
            raise
        user_id = str(response["user"]["id"])
        self.app.core.link_by_email(PLATFORM, user_id, person.email)
        return user_id
