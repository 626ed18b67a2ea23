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
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import datetime, timedelta
from typing import Protocol

from bot.channels import Reach
from bot.clock import Clock
from bot.domain import Notification, Person, QueuedNotification, Role
from bot.leases import Lease
from bot.ports import UnitOfWork, UnitOfWorkFactory
from bot.sent_marks import SentMarks

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
        concurrency: int = 1,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.deliverer = deliverer
        # Small claims and short leases: a crashed worker holds back little, briefly. With
        # several senders a claim still feeds each of them a few messages.
        self.concurrency = max(1, concurrency)
        self.batch_size = max(batch_size, 3 * self.concurrency)
        self.lease_seconds = lease_seconds
        self.max_attempts = max_attempts
        self.give_up_after = give_up_after
        self.reach = reach or Reach()
        self.advisor_channels = advisor_channels
        self.observer = observer
        self._leases: set[Lease] = set()
        self._leases_lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._marks = SentMarks(uow)  # concurrent senders share their "sent" transactions
        self._stopping = False

    def run_once(self) -> int:
        """Deliver what is due now (one claim); returns how many were sent."""
        return self._pass()[1]

    def drain(self) -> int:
        """Deliver until nothing is due (retries scheduled later stay queued)."""
        if self.concurrency > 1:
            return self._drain_concurrently()
        total = 0
        while True:
            claimed, sent = self._pass()
            total += sent
            if not claimed or self._stopping:
                return total

    def stop(self) -> None:
        """Claim nothing more; the messages in flight finish, the others are handed back."""
        self._stopping = True

    def close(self) -> None:
        """After a stop: let the sending threads go."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)

    def keep_leases(self) -> None:
        """Renew what the worker holds (the delivery loop's heartbeat, during a slow call)."""
        for lease in self._current():
            self._renew(lease)

    def hand_back(self) -> None:
        """Release the leases not being sent right now (a stop that cannot wait any longer)."""
        for lease in self._current():
            self._release(lease, lease.waiting())

    def _current(self) -> list[Lease]:
        with self._leases_lock:
            return list(self._leases)

    def _pass(self) -> tuple[int, int]:
        if self._stopping:
            return 0, 0
        claimed, recipients, lease = self._claim()
        queues = _queues(claimed)
        try:
            if self.concurrency == 1 or len(queues) < 2:
                sent = sum(self._send_queue(lease, q, recipients) for q in queues)
            else:
                pool = self._executor()
                sent = sum(pool.map(lambda q: self._send_queue(lease, q, recipients), queues))
        finally:
            self._finish(lease)
        return len(claimed), sent

    def _drain_concurrently(self) -> int:
        """Keep every sender busy: claim again whenever one is free, so a slow queue (the
        advisors' channel at 1 message/s) holds one sender, not the whole worker."""
        total, active = 0, set[Future[int]]()
        while True:
            if not self._stopping and len(active) < self.concurrency:
                claimed = self._submit(active)
                if claimed >= self.batch_size and len(active) < self.concurrency:
                    continue  # more is due than one claim takes
            if not active:
                return total
            done, active = wait(active, return_when=FIRST_COMPLETED)
            for future in done:
                try:
                    total += future.result()
                except Exception:  # the database went away mid-queue: its lease expires
                    log.exception("an outbox sender failed")

    def _submit(self, active: set[Future[int]]) -> int:
        claimed, recipients, lease = self._claim()
        queues = _queues(claimed)
        if not queues:
            self._finish(lease)
        for queue in queues:
            active.add(self._executor().submit(self._send_then_finish, lease, queue, recipients))
        return len(claimed)

    def _send_then_finish(
        self, lease: Lease, queue: list[QueuedNotification], recipients: dict[int, Person]
    ) -> int:
        try:
            return self._send_queue(lease, queue, recipients)
        finally:
            if lease.queue_finished():
                self._finish(lease)

    def _send_queue(
        self, lease: Lease, queue: list[QueuedNotification], recipients: dict[int, Person]
    ) -> int:
        """One recipient's messages, in order; after a failure the rest wait behind it."""
        sent = 0
        for n, item in enumerate(queue):
            if self._stopping:
                break
            if not self._still_held(lease, item):
                continue
            if not self._deliver(lease, item, recipients.get(item.notification.recipient_id or 0)):
                self._release(lease, [later.id for later in queue[n + 1 :]])
                break
            sent += 1
        return sent

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="outbox-send")
        return self._pool

    def _claim(self) -> tuple[list[QueuedNotification], dict[int, Person], Lease]:
        now, token = self.clock.now(), uuid.uuid4().hex
        with self.uow() as uow:
            claimed = uow.outbox.claim_due(
                now, self.batch_size, self.lease_seconds, self.reach, owner=token
            )
            recipients = uow.people.get_many(
                q.notification.recipient_id for q in claimed if q.notification.recipient_id
            )
            uow.commit()
        lease = Lease(token, [q.id for q in claimed], now, queues=len(_queues(claimed)))
        with self._leases_lock:
            self._leases.add(lease)
        return claimed, recipients, lease

    def _finish(self, lease: Lease) -> None:
        """Hand back what the claim still holds (a stop) and forget it."""
        with self._leases_lock:
            self._leases.discard(lease)
        self._release(lease, lease.held())

    def _still_held(self, lease: Lease, item: QueuedNotification) -> bool:
        """Renew when a third of the lease has gone, so each send starts with two thirds left."""
        due = self.clock.now() - lease.renewed_at >= timedelta(seconds=self.lease_seconds / 3)
        if due and lease.renewing.acquire(blocking=False):
            try:
                self._renew(lease)
            finally:
                lease.renewing.release()
        return lease.holds(item.id)

    def _renew(self, lease: Lease) -> None:
        now, asked = self.clock.now(), lease.renewable()
        with self.uow() as uow:
            held = uow.outbox.renew(asked, lease.token, now + timedelta(seconds=self.lease_seconds))
            uow.commit()
        for notification_id in lease.keep(asked, held, now):
            log.warning("lease on notification %s lost to another worker", notification_id)
            self._observe("lease_lost")

    def _release(self, lease: Lease, ids: Sequence[int]) -> None:
        if not ids:
            return
        with self.uow() as uow:
            released = uow.outbox.release(*ids, owner=lease.token)
            uow.commit()
        lease.done(*ids)
        for _ in range(released):
            self._observe("released")

    def _deliver(self, lease: Lease, item: QueuedNotification, recipient: Person | None) -> bool:
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
        lease.finishing(item.id)
        held = self._marks.mark(item.id, self.clock.now(), ref, lease.token)
        lease.done(item.id)
        self._observe("sent" if held else "lease_lost")
        return True

    def _failed(self, lease: Lease, item: QueuedNotification, failure: DeliveryFailed) -> None:
        now, reason = self.clock.now(), str(failure)
        outcome = self._outcome(item, failure, now)
        lease.finishing(item.id)
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


def _queues(claimed: Sequence[QueuedNotification]) -> list[list[QueuedNotification]]:
    """The claim split by recipient (a person, or a channel), each in the order it was queued:
    queues go out side by side, a queue's messages one after the other."""
    queues: dict[object, list[QueuedNotification]] = {}
    for item in claimed:
        person, channel = item.notification.recipient_id, item.notification.channel
        queues.setdefault(person if person is not None else f"#{channel}", []).append(item)
    return list(queues.values())
