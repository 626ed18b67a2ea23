"""The outbox worker as a background thread in serving processes (Slack, Discord, run).

Adapters call `wake()` after handling a command, so a notification queued by that command is
sent at once; the loop also ticks every few seconds for retries and for other processes' work.
"""

from __future__ import annotations

import logging
import threading

from bot.outbox import OutboxWorker

log = logging.getLogger(__name__)


class DeliveryLoop:
    def __init__(self, worker: OutboxWorker, *, interval: float = 3.0) -> None:
        self.worker = worker
        self.interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="outbox", daemon=True)

    def start(self) -> DeliveryLoop:
        self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.worker.drain()
            except Exception:  # the database may be briefly unreachable: log, keep ticking
                log.exception("outbox delivery pass failed")
            self._wake.wait(self.interval)
            self._wake.clear()
