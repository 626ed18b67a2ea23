"""Handled once: the ids of requests already handled, remembered in the database so a retry, a
replay or a second replica does not handle them again, and forgotten after `RETENTION`.

Slack's retried events and replayed requests and Discord's replayed direct messages share this
one piece (and one table); each adapter says which platform's ids it is remembering.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.ports import UnitOfWorkFactory

# Slack's last retry comes about 5 minutes after the first try and a signature is accepted for
# 5 minutes either side of its timestamp; a Discord RESUME replays minutes. An hour covers both.
RETENTION = timedelta(hours=1)
SWEEP_EVERY = timedelta(minutes=10)


class ProcessedIds:
    """`first_time(platform, key)`: True once per key across every process sharing the
    database. Synchronous (it commits a row): call it from a worker thread."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock
        self._last_sweep: datetime | None = None
        self._lock = threading.Lock()

    def first_time(self, platform: str, key: str, at: datetime | None = None) -> bool:
        now = at or self.clock.now()
        with self.uow() as uow:
            fresh = uow.events.first_time(platform, key, now)
            if self.sweep_due(now):
                uow.events.forget_before(now - RETENTION)
            uow.commit()
        return fresh

    def sweep_due(self, now: datetime) -> bool:
        """At most one sweep per `SWEEP_EVERY` in this process: forgetting is not urgent."""
        with self._lock:
            if self._last_sweep is not None and now - self._last_sweep < SWEEP_EVERY:
                return False
            self._last_sweep = now
            return True
