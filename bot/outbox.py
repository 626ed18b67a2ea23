"""Delivering queued notifications: claim, send through an adapter, mark, retry with backoff.

What holds under faults:
- a rate limit is not a failure: the message waits for `Retry-After` without spending an
  attempt; a message is given up only on a permanent error, after `max_attempts` errors, or
  once it has been due longer than `give_up_after`;
- a claim is a short lease, renewed while the worker sends (before each message, and by the
  delivery loop's heartbeat during a slow call), and fenced: the worker marks only what it still
  holds, so a lease that expired and was taken over is counted (`lease_lost`), not overwritten;
- a stop hands back, at once, every lease the worker still holds;
- a person nothing reaches keeps their messages (parked) until they link; the advisors are
  told once.
"""

from __future__ import annotations

import logging
import random
import threading
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from bot.channels import Reach
from bot.clock import Clock
from bot.domain import Notification, Person, QueuedNotification, Role
from bot.ports import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

MIN_RETRY_AFTER = 0.05  # a `Retry-After: 0` still leaves the row for the next pass


class DeliveryFailed(Exception):
    """Raised by a deliverer; `retry_after` honours a platform's 429, `permanent` stops retries."""

    def __init__(
        self, reason: str, *, retry_after: float | None = None, permanent: bool = False
    ) -> None:
        super().__init__(reason)
        self.retry_after = retry_after
        self.permanent = permanent


class Unreachable(DeliveryFailed):
    """Nothing this platform has reaches the person (not linked, not found by email): their
    messages wait, unsent, until they link."""


class Deliverer(Protocol):
    """Sends one notification; may return the platform's id of the message it posted, so a
    later notification with `updates` can edit it (it arrives with `edit_ref` set)."""

    def deliver(self, recipient: Person | None, notification: Notification) -> str | None: ...


class DeliveryObserver(Protocol):
    """Told the outcome of each message a worker handles, for the serving process's metrics
    (e.g. a counter `mentorbot_outbox_deliveries_total{platform, outcome}`). `platform` is the
    worker's `Reach.label`. Outcomes, one per message handled:

    - `sent`;
    - `retried`: a transient error (5xx, network), tried again with backoff;
    - `rate_limited`: the platform said wait; rescheduled after Retry-After, no attempt spent;
    - `failed`: given up (permanent error, `max_attempts` errors, or due for too long);
    - `unreachable`: nothing reaches the recipient; parked until they link;
    - `lease_lost`: the lease expired and another worker took the message over (it may be
      sent twice; the lease is too short for the platform's latency);
    - `released`: handed back unsent (a stop, or behind the recipient's failed message).
    """

    def delivery(self, platform: str, outcome: str) -> None: ...


class _Lease:
    """The rows one claim holds, shared with the delivery loop's heartbeat thread."""

    def __init__(self, token: str, ids: Sequence[int], at: datetime) -> None:
        self.token = token
        self.renewed_at = at
        self._held = set(ids)
        self._in_flight: int | None = None
        self._lock = threading.Lock()

    def held(self) -> list[int]:
        with self._lock:
            return sorted(self._held)

    def waiting(self) -> list[int]:
        """Held and not being sent right now: what a stop can hand back at once."""
        with self._lock:
            return sorted(self._held - {self._in_flight})

    def holds(self, notification_id: int) -> bool:
        with self._lock:
            return notification_id in self._held

    def start(self, notification_id: int) -> None:
        with self._lock:
            self._in_flight = notification_id

    def done(self, *ids: int) -> None:
        with self._lock:
            self._held.difference_update(ids)
            if self._in_flight in ids:
                self._in_flight = None

    def keep(self, still_held: set[int], at: datetime) -> list[int]:
        """After a renewal: forget what was lost, return it."""
        with self._lock:
            lost = sorted(self._held - still_held)
            self._held &= still_held
            self.renewed_at = at
            return lost


class OutboxWorker:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        deliverer: Deliverer,
        *,
        batch_size: int = 20,
        lease_seconds: float = 30,
        max_attempts: int = 20,
        give_up_after: timedelta = timedelta(hours=24),
        reach: Reach | None = None,
        advisor_channels: Sequence[str] = ("advisors:console",),
        observer: DeliveryObserver | None = None,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.deliverer = deliverer
        # Small claims and short leases: a crashed worker holds back little, briefly.
        self.batch_size = batch_size
        self.lease_seconds = lease_seconds
        self.max_attempts = max_attempts
        self.give_up_after = give_up_after
        self.reach = reach or Reach()
        self.advisor_channels = advisor_channels
        self.observer = observer
        self._lease: _Lease | None = None
        self._stopping = False

    def run_once(self) -> int:
        """Deliver what is due now; returns how many were sent."""
        return self._pass()[1]

    def drain(self) -> int:
        """Deliver until nothing is due (retries scheduled later stay queued)."""
        total = 0
        while True:
            claimed, sent = self._pass()
            total += sent
            if not claimed or self._stopping:
                return total

    def stop(self) -> None:
        """Claim nothing more; the message in flight finishes, the others are handed back."""
        self._stopping = True

    def keep_leases(self) -> None:
        """Renew what the current pass holds (the delivery loop's heartbeat, during a slow call)."""
        lease = self._lease
        if lease is not None:
            self._renew(lease)

    def hand_back(self) -> None:
        """Release the leases not being sent right now (a stop that cannot wait any longer)."""
        lease = self._lease
        if lease is not None:
            self._release(lease, lease.waiting())

    def _pass(self) -> tuple[int, int]:
        if self._stopping:
            return 0, 0
        claimed, recipients, lease = self._claim()
        self._lease = lease
        sent, stuck = 0, set()
        try:
            for item in claimed:
                queue = (item.notification.recipient_id, item.notification.channel)
                if self._stopping:
                    break
                if queue in stuck:  # keep per-recipient order: wait behind the failed message
                    self._release(lease, [item.id])
                elif not self._still_held(lease, item):
                    continue
                elif self._deliver(
                    lease, item, recipients.get(item.notification.recipient_id or 0)
                ):
                    sent += 1
                else:
                    stuck.add(queue)
        finally:
            self._lease = None
            self._release(lease, lease.held())
        return len(claimed), sent

    def _claim(self) -> tuple[list[QueuedNotification], dict[int, Person], _Lease]:
        now, token = self.clock.now(), uuid.uuid4().hex
        with self.uow() as uow:
            claimed = uow.outbox.claim_due(
                now, self.batch_size, self.lease_seconds, self.reach, owner=token
            )
            recipients = uow.people.get_many(
                q.notification.recipient_id for q in claimed if q.notification.recipient_id
            )
            uow.commit()
        return claimed, recipients, _Lease(token, [q.id for q in claimed], now)

    def _still_held(self, lease: _Lease, item: QueuedNotification) -> bool:
        """Renew when a third of the lease has gone, so each send starts with two thirds left."""
        if self.clock.now() - lease.renewed_at >= timedelta(seconds=self.lease_seconds / 3):
            self._renew(lease)
        return lease.holds(item.id)

    def _renew(self, lease: _Lease) -> None:
        now = self.clock.now()
        with self.uow() as uow:
            held = uow.outbox.renew(
                lease.held(), lease.token, now + timedelta(seconds=self.lease_seconds)
            )
            uow.commit()
        for notification_id in lease.keep(held, now):
            log.warning("lease on notification %s lost to another worker", notification_id)
            self._observe("lease_lost")

    def _release(self, lease: _Lease, ids: Sequence[int]) -> None:
        if not ids:
            return
        with self.uow() as uow:
            released = uow.outbox.release(*ids, owner=lease.token)
            uow.commit()
        lease.done(*ids)
        for _ in range(released):
            self._observe("released")

    def _deliver(self, lease: _Lease, item: QueuedNotification, recipient: Person | None) -> bool:
        lease.start(item.id)
        try:
            ref = self.deliverer.deliver(recipient, item.notification)
        except DeliveryFailed as failure:
            self._failed(lease, item, failure)
            return False
        except Exception as error:  # an adapter bug must not stop the other deliveries
            log.exception("delivery of notification %s crashed", item.id)
            self._failed(lease, item, DeliveryFailed(repr(error)))
            return False
        with self.uow() as uow:
            held = uow.outbox.mark_sent(item.id, self.clock.now(), ref, owner=lease.token)
            uow.commit()
        lease.done(item.id)
        self._observe("sent" if held else "lease_lost")
        return True

    def _failed(self, lease: _Lease, item: QueuedNotification, failure: DeliveryFailed) -> None:
        now, reason = self.clock.now(), str(failure)
        outcome = self._outcome(item, failure, now)
        with self.uow() as uow:
            outbox, owner = uow.outbox, lease.token
            if outcome == "unreachable":
                held = outbox.park(item.id, reason, now, owner)
                self._tell_advisors(uow, item.notification, once=True)
            elif outcome == "failed":
                log.warning("giving up on notification %s: %s", item.id, reason)
                held = outbox.give_up(item.id, reason, now, owner)
                self._tell_advisors(uow, item.notification, once=False)
            else:
                limited = outcome == "rate_limited"
                delay = self._delay(item, failure, limited)
                later = now + timedelta(seconds=delay)
                held = outbox.retry_later(item.id, reason, later, counts=not limited, owner=owner)
            uow.commit()
        lease.done(item.id)
        self._observe(outcome if held else "lease_lost")

    def _outcome(self, item: QueuedNotification, failure: DeliveryFailed, now: datetime) -> str:
        if isinstance(failure, Unreachable):
            return "unreachable"
        too_old = item.due_since is not None and now - item.due_since >= self.give_up_after
        if failure.permanent or too_old:
            return "failed"
        if failure.retry_after is not None:
            return "rate_limited"
        return "failed" if item.attempts + 1 >= self.max_attempts else "retried"

    def _delay(self, item: QueuedNotification, failure: DeliveryFailed, limited: bool) -> float:
        if limited and failure.retry_after is not None:
            return max(MIN_RETRY_AFTER, failure.retry_after)
        return self.backoff(item.attempts)

    def _observe(self, outcome: str) -> None:
        if self.observer is not None:
            self.observer.delivery(self.reach.label, outcome)

    def _tell_advisors(self, uow: UnitOfWork, notification: Notification, *, once: bool) -> None:
        """A person no message reaches is the advisors' concern: once for someone not linked
        anywhere (parked until they link), once a day for a student whose messages fail."""
        if notification.recipient_id is None:
            return
        person = uow.people.get(notification.recipient_id)
        if person is None or (not once and not person.has(Role.STUDENT)):
            return
        now = self.clock.now()
        key, ident = (
            ("delivery.not_linked", f"not-linked:{person.id}")
            if once
            else ("delivery.unreachable", f"unreachable:{person.id}:{now:%Y-%m-%d}")
        )
        uow.outbox.add_many(
            [
                Notification(
                    idempotency_key=f"{ident}:{channel}",
                    recipient_id=None,
                    channel=channel,
                    key=key,
                    params={"name": person.name, "email": person.email},
                )
                for channel in self.advisor_channels
            ],
            now,
        )

    @staticmethod
    def backoff(attempts: int) -> float:
        """Exponential with full jitter, capped at an hour."""
        return float(random.uniform(0.5, 1.0) * min(3600, 2 ** (attempts + 1)))
