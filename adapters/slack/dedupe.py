"""Slack re-sends an event it did not see acknowledged (`X-Slack-Retry-Num`, up to three times
over about five minutes): each `event_id` is handled once, remembered in the database so a
restart between two tries does not handle it twice, and forgotten well after the retry window.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

from adapters.slack.identity import PLATFORM
from bot.clock import Clock
from bot.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)

RETENTION = timedelta(hours=1)  # Slack's last retry comes about 5 minutes after the first try
SWEEP_EVERY = timedelta(minutes=10)


class EventDeduplication(Middleware):
    """Answers 200 without running any listener when an event id was already handled."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock
        self._last_sweep: datetime | None = None
        self._lock = threading.Lock()

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        body = req.body
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not self.first_time(str(event_id)):
            retry = req.headers.get("x-slack-retry-num", ["0"])[0]
            log.info("event %s already handled (retry %s): skipped", event_id, retry)
            return BoltResponse(status=200, body="")
        return next()

    def first_time(self, event_id: str) -> bool:
        now = self.clock.now()
        with self.uow() as uow:
            fresh = uow.events.first_time(PLATFORM, event_id, now)
            if self._sweep_due(now):
                uow.events.forget_before(now - RETENTION)
            uow.commit()
        return fresh

    def _sweep_due(self, now: datetime) -> bool:
        with self._lock:
            if self._last_sweep is not None and now - self._last_sweep < SWEEP_EVERY:
                return False
            self._last_sweep = now
            return True
