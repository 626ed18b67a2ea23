"""Slack re-sends an event it did not see acknowledged (`X-Slack-Retry-Num`, up to three times
over about five minutes): each `event_id` is handled once, remembered in the database so a
restart between two tries does not handle it twice, and forgotten well after the retry window.

Slash commands and interactions have no id of their own, and a signed request replayed inside
the signature's five-minute window passes the signature check: the same `/ask` sent three times
relayed three questions. Each is remembered by its signature (which covers its timestamp and
body), or in Socket Mode, where nothing is signed, by its `trigger_id`.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import datetime

from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

from adapters.slack.identity import PLATFORM
from bot.processed import RETENTION, SWEEP_EVERY, ProcessedIds

log = logging.getLogger(__name__)

DATABASE_WAIT = 0.5  # seconds the ack may wait for the database to record a request
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
    interaction was already handled."""

    def __init__(self, processed: ProcessedIds, *, wait: float = DATABASE_WAIT) -> None:
        self.processed = processed
        self.wait = wait
        self._pruned_at: datetime | None = None
        self._lock = threading.Lock()
        self._recent: dict[str, datetime] = {}  # this process's memory, asked first
        self._writer = ThreadPoolExecutor(2, thread_name_prefix="slack-dedupe")

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        key = request_key(req)
        if key is not None and not self.first_time(key):
            retry = req.headers.get("x-slack-retry-num", ["0"])[0]
            log.info("Slack request %s already handled (retry %s): skipped", key[:24], retry)
            return BoltResponse(status=200, body="")
        return next()

    def first_time(self, event_id: str) -> bool:
        """Remembered here at once, and in the database (across restarts and replicas) unless
        it is too busy to answer within `wait`: the ack must not wait on a locked database."""
        now = self.processed.clock.now()
        with self._lock:
            if event_id in self._recent:
                return False
            self._recent[event_id] = now
            self._forget_old(now)
        recorded = self._writer.submit(self.processed.first_time, PLATFORM, event_id, now)
        try:
            return recorded.result(timeout=self.wait)
        except FutureTimeout:
            log.warning("processed_events busy: request %s checked in memory only", event_id[:24])
            return True

    def _forget_old(self, now: datetime) -> None:
        """The memory keeps what the database keeps; pruned once per sweep period (locked)."""
        if self._pruned_at is not None and now - self._pruned_at < SWEEP_EVERY:
            return
        self._pruned_at = now
        self._recent = {k: at for k, at in self._recent.items() if at >= now - RETENTION}
