"""Holding a leadership lock for as long as a process serves: take it when free, notice losing it.

Two things in a serving process must run on one replica only: the scheduled ticks, and the
Discord gateway connection (Discord sends every event to every session of a token). Each is a
campaign on its own lock; a standby replica retries every few seconds, so it takes over soon
after the leader dies (PostgreSQL frees a dead session's advisory locks at once).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol

log = logging.getLogger(__name__)


class Lock(Protocol):
    def try_acquire(self) -> bool: ...

    def still_held(self) -> bool: ...

    def release(self) -> None: ...


class Campaign:
    """Calls `on_gain` when this process takes the lock and `on_loss` when it loses it."""

    def __init__(
        self,
        name: str,
        lock: Lock,
        *,
        every: float,
        on_gain: Callable[[], None],
        on_loss: Callable[[], None],
    ) -> None:
        self.name = name
        self.lock = lock
        self.every = every
        self.on_gain = on_gain
        self.on_loss = on_loss
        self.leading = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"campaign-{name}", daemon=True)

    def start(self) -> Campaign:
        """The first attempt is made now, so a lone replica leads before start() returns."""
        self._step()
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self._step()
            except Exception:  # the database may be down for a while: keep campaigning
                log.exception("%s: leadership check failed", self.name)

    def _step(self) -> None:
        if self.leading and not self.lock.still_held():
            log.error("%s: lost the leadership lock", self.name)
            self.leading = False
            self.on_loss()
        elif not self.leading and self.lock.try_acquire():
            log.info("%s: this replica leads", self.name)
            self.leading = True
            self.on_gain()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop campaigning; when leading, `on_loss` first, then the lock is released."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        if self.leading:
            self.leading = False
            self.on_loss()
        self.lock.release()
