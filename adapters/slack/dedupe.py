"""Slack re-sends an event it did not see acknowledged (`X-Slack-Retry-Num`, up to three times
over about five minutes): each `event_id` is handled once, remembered in the database so a
restart between two tries does not handle it twice, and forgotten well after the retry window.

Slash commands and interactions have no id of their own, and a signed request replayed inside
the signature's five-minute window passes the signature check: the same `/ask` sent three times
relayed three questions. Each is remembered by its signature (which covers its timestamp and
body), or in Socket Mode, where nothing is signed, by its `trigger_id`.

The ack never waits on the database: this middleware answers a repeat this process has seen
from memory, and hands the id on (`ONCE` in Bolt's context) to the work after the ack, which
records it in the command's own transaction — so a repeat reaching another replica, or this
one after a restart, runs nothing either, and a request is recorded exactly when it took effect.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from datetime import datetime

from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

from bot.clock import Clock
from bot.processed import RETENTION, SWEEP_EVERY

log = logging.getLogger(__name__)

ONCE = "mentorbot_once"  # the request's id in Bolt's context, for the work after the ack
KEY_LIMIT = 100  # processed_events.event_id is 128 characters


def request_key(req: BoltRequest) -> str | None:
    """What identifies this request among Slack's: an event's id, else the signature, else the
    trigger; None for what has none (the URL check, which changes nothing)."""
    body = req.body
    if body.get("type") == "url_verification":
        return None
    if body.get("type") == "event_callback":
        event_id = body.get("event_id")
        return _bounded(str(event_id)) if event_id else None
    signature = req.headers.get("x-slack-signature", [""])[0]
    if signature:
        return _bounded(f"sig:{signature.removeprefix('v0=')}")
    trigger = body.get("trigger_id")
    return _bounded(f"trigger:{trigger}") if trigger else None


def _bounded(key: str) -> str:
    """Keys fit the column (128): a longer one is kept as its digest."""
    if len(key) <= KEY_LIMIT:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


class EventDeduplication(Middleware):
    """Answers 200 without running any listener when an event, a slash command or an
    interaction was already seen by this process; passes the id on otherwise."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._pruned_at: datetime | None = None
        self._lock = threading.Lock()
        self._recent: dict[str, datetime] = {}  # this process's memory

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        key = request_key(req)
        if key is not None and not self.first_time(key):
            retry = req.headers.get("x-slack-retry-num", ["0"])[0]
            log.info("Slack request %s already handled (retry %s): skipped", key[:24], retry)
            return BoltResponse(status=200, body="")
        req.context[ONCE] = key
        return next()

    def first_time(self, event_id: str) -> bool:
        """First seen by this process (the database is asked by the work, after the ack)."""
        now = self.clock.now()
        with self._lock:
            if event_id in self._recent:
                return False
            self._recent[event_id] = now
            self._forget_old(now)
        return True

    def _forget_old(self, now: datetime) -> None:
        """The memory keeps what the database keeps; pruned once per sweep period (locked)."""
        if self._pruned_at is not None and now - self._pruned_at < SWEEP_EVERY:
            return
        self._pruned_at = now
        self._recent = {k: at for k, at in self._recent.items() if at >= now - RETENTION}
