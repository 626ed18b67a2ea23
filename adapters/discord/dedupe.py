"""A direct message is handled once per message id, whoever receives it.

Discord sends every event to every gateway session of a token, and replays what a connection
missed when it RESUMEs: two replicas, or one that resumes after it had already answered, would
otherwise answer a question twice. The first to record the id in the database (the same table
as Slack's event ids) handles it; ids are forgotten well after any replay could come.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from adapters.discord.identity import PLATFORM
from bot.clock import Clock
from bot.ports import UnitOfWorkFactory

RETENTION = timedelta(hours=1)  # a resumable session lives minutes; replicas see it at once
SWEEP_EVERY = timedelta(minutes=10)


class Seen:
    """`first_time(key)`: True once per key across every process sharing the database.
    Synchronous (it commits a row): call it from a worker thread."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock
        self._last_sweep: datetime | None = None
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        now = self.clock.now()
        with self.uow() as uow:
            fresh = uow.events.first_time(PLATFORM, key, now)
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


def message_key(message_id: int) -> str:
    """Namespaced, so other Discord events can be remembered in the same table later."""
    return f"message:{message_id}"
