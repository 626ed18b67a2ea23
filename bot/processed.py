"""Handled once: the ids of requests already handled, remembered in the database so a retry, a
replay or a second replica does not handle them again, and forgotten after `RETENTION`.

Slack's retried events and replayed requests and Discord's replayed direct messages share this
one piece (and one table); each adapter says which platform's ids it is remembering.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.ports import UnitOfWork, UnitOfWorkFactory

# Slack's last retry comes about 5 minutes after the first try and a signature is accepted for
# 5 minutes either side of its timestamp; a Discord RESUME replays minutes. An hour covers both.
RETENTION = timedelta(hours=1)
SWEEP_EVERY = timedelta(minutes=10)
# What a command that did not commit its id (a read, a refusal) leaves to be written after it:
# gathered for this long, then written together in one transaction off the request's path.
BATCH_DELAY = 0.05

log = logging.getLogger(__name__)


class ProcessedIds:
    """`first_time(platform, key)`: True once per key across every process sharing the
    database. Synchronous (it commits a row): call it from a worker thread."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock
        self._last_sweep: datetime | None = None
        self._lock = threading.Lock()
        self._pending: list[tuple[str, str, datetime]] = []
        self._wake = threading.Condition(self._lock)
        self._writer: threading.Thread | None = None
        # Held while a batch is written: a flush that finds nothing pending must still wait for
        # the batch the writer thread took a moment ago, or "flushed" would not mean "written".
        self._writing = threading.Lock()

    def first_time(self, platform: str, key: str, at: datetime | None = None) -> bool:
        now = at or self.clock.now()
        with self.uow() as uow:
            fresh = uow.events.first_time(platform, key, now)
            if self.sweep_due(now):
                uow.events.forget_before(now - RETENTION)
            uow.commit()
        return fresh

    def record(self, uow: UnitOfWork, platform: str, key: str) -> bool:
        """In the caller's unit of work (committed with it): True the first time."""
        now = self.clock.now()
        fresh = uow.events.first_time(platform, key, now)
        if fresh and self.sweep_due(now):
            uow.events.forget_before(now - RETENTION)
        return fresh

    def later(self, platform: str, key: str) -> None:
        """Remember this id soon, with others, in a transaction of its own (a daemon thread)."""
        with self._wake:
            self._pending.append((platform, key, self.clock.now()))
            if self._writer is None:
                self._writer = threading.Thread(
                    target=self._write_forever, name="processed-ids", daemon=True
                )
                self._writer.start()
            self._wake.notify()

    def flush(self) -> None:
        """Write what is pending now, and wait for a batch being written (a clean stop, a test)."""
        with self._writing:
            with self._lock:
                batch, self._pending = self._pending, []
            if batch:
                with self.uow() as uow:
                    uow.events.remember_all(batch)  # one statement, whatever the batch
                    uow.commit()

    def _write_forever(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(lambda: bool(self._pending))
            time.sleep(BATCH_DELAY)  # let a burst gather into one transaction
            try:
                self.flush()
            except Exception:  # the database is away: these ids stay remembered in memory only
                log.warning("could not remember handled request ids", exc_info=True)

    def sweep_due(self, now: datetime) -> bool:
        """At most one sweep per `SWEEP_EVERY` in this process: forgetting is not urgent."""
        with self._lock:
            if self._last_sweep is not None and now - self._last_sweep < SWEEP_EVERY:
                return False
            self._last_sweep = now
            return True
