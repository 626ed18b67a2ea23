"""The outbox worker as a background thread in serving processes (Slack, Discord, run).

Adapters call `wake()` after handling a command, so a notification queued by that command is
sent at once; the loop also ticks every few seconds for retries and for other processes' work.
The worker sends several recipients' messages at once (`MENTORBOT_DELIVERY_CONCURRENCY`), each
recipient's in order; the deliverer's rate limiter keeps the pace the platform allows.
A heartbeat thread renews the worker's leases while slow platform calls are in flight, so a
short lease (what a crash holds back) never expires under a live worker.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from bot.outbox import OutboxWorker

log = logging.getLogger(__name__)


class DeliveryLoop:
    name = "delivery"

    def __init__(self, worker: OutboxWorker, *, interval: float = 3.0) -> None:
        self.worker = worker
        self.interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="outbox", daemon=True)
        self._heartbeat = threading.Thread(target=self._beat, name="outbox-lease", daemon=True)

    def start(self) -> DeliveryLoop:
        self._thread.start()
        self._heartbeat.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def status(self) -> dict[str, object]:
        return {"ready": self._thread.is_alive()}

    def stop(self, timeout: float = 10.0) -> None:
        """Claim nothing more, let the messages in flight finish, hand every other lease back.
        If a send in flight outlasts `timeout`, the rest is handed back anyway; only the
        messages in flight then wait for their (short) lease."""
        self.worker.stop()
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning(
                "a delivery is still in flight after %.1f s: handing the rest back", timeout
            )
            self._safely(self.worker.hand_back)
        if self._heartbeat.is_alive():
            self._heartbeat.join(1.0)
        self.worker.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._safely(self.worker.drain)
            self._wake.wait(self.interval)
            self._wake.clear()

    def _beat(self) -> None:
        every = max(self.worker.lease_seconds / 3, 0.05)
        while not self._stop.wait(every):
            self._safely(self.worker.keep_leases)

    @staticmethod
    def _safely(step: Callable[[], object]) -> None:
        try:
            step()
        except Exception:  # the database may be briefly unreachable: log, keep ticking
            log.exception("outbox delivery step failed")
