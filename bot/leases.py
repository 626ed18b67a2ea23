"""What one outbox claim holds, shared by the threads sending its queues and the heartbeat."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime


class Lease:
    """The rows of one claim (owner `token`): held until sent, failed, released or lost.

    Several of its recipients' queues may be sent at once, so "in flight" is a set; `queues`
    counts the queues not finished yet, and the last one to finish hands the rest back.
    """

    def __init__(self, token: str, ids: Sequence[int], at: datetime, queues: int = 0) -> None:
        self.token = token
        self.renewed_at = at
        self.renewing = threading.Lock()  # one renewal at a time; the others need not wait
        self._held = set(ids)
        self._in_flight: set[int] = set()
        self._finishing: set[int] = set()  # outcome being written: no renewal needed
        self._queues = queues
        self._lock = threading.Lock()

    def held(self) -> list[int]:
        with self._lock:
            return sorted(self._held)

    def waiting(self) -> list[int]:
        """Held and not being sent right now: what a stop can hand back at once."""
        with self._lock:
            return sorted(self._held - self._in_flight)

    def holds(self, notification_id: int) -> bool:
        with self._lock:
            return notification_id in self._held

    def start(self, notification_id: int) -> None:
        with self._lock:
            self._in_flight.add(notification_id)

    def finishing(self, notification_id: int) -> None:
        """Its outcome is being written (fenced by the owner itself): leave it out of renewals,
        which would otherwise find it no longer pending and take it for lost."""
        with self._lock:
            self._finishing.add(notification_id)

    def renewable(self) -> list[int]:
        with self._lock:
            return sorted(self._held - self._finishing)

    def done(self, *ids: int) -> None:
        with self._lock:
            self._held.difference_update(ids)
            self._in_flight.difference_update(ids)
            self._finishing.difference_update(ids)

    def keep(self, asked: list[int], still_held: set[int], at: datetime) -> list[int]:
        """After renewing `asked`: forget what was lost, return it (what finished meanwhile
        was not lost)."""
        with self._lock:
            lost = sorted((set(asked) & self._held) - still_held - self._finishing)
            self._held.difference_update(lost)
            self.renewed_at = at
            return lost

    def queue_finished(self) -> bool:
        """True for the last of the claim's queues to finish."""
        with self._lock:
            self._queues -= 1
            return self._queues <= 0
