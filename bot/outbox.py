"""Delivering queued notifications: claim, send through an adapter, mark, retry with backoff."""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from datetime import timedelta
from typing import Protocol

from bot.clock import Clock
from bot.domain import Notification, Person, QueuedNotification, Role
from bot.ports import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """Raised by a deliverer; `retry_after` honours a platform's 429, `permanent` stops retries."""

    def __init__(
        self, reason: str, *, retry_after: float | None = None, permanent: bool = False
    ) -> None:
        super().__init__(reason)
        self.retry_after = retry_after
        self.permanent = permanent


class Deliverer(Protocol):
    """Sends one notification; may return the platform's id of the message it posted, so a
    later notification with `updates` can edit it (it arrives with `edit_ref` set)."""

    def deliver(self, recipient: Person | None, notification: Notification) -> str | None: ...


class OutboxWorker:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        deliverer: Deliverer,
        *,
        batch_size: int = 100,
        lease_seconds: int = 120,
        max_attempts: int = 10,
        platforms: Sequence[str] | None = None,
        advisor_channels: Sequence[str] = ("advisors:console",),
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.deliverer = deliverer
        self.batch_size = batch_size
        self.lease_seconds = lease_seconds
        self.max_attempts = max_attempts
        self.platforms = platforms  # what this worker's adapters reach; None: everything
        self.advisor_channels = advisor_channels

    def run_once(self) -> int:
        """Deliver what is due now; returns how many were sent."""
        with self.uow() as uow:
            claimed = uow.outbox.claim_due(
                self.clock.now(), self.batch_size, self.lease_seconds, self.platforms
            )
            recipients = uow.people.get_many(
                q.notification.recipient_id for q in claimed if q.notification.recipient_id
            )
            uow.commit()
        sent, stuck = 0, set()
        for item in claimed:
            queue = (item.notification.recipient_id, item.notification.channel)
            recipient = recipients.get(item.notification.recipient_id or 0)
            if queue in stuck:  # keep per-recipient order: wait behind the failed message
                self._release(item)
            elif self._deliver(item, recipient):
                sent += 1
            else:
                stuck.add(queue)
        return sent

    def _release(self, item: QueuedNotification) -> None:
        with self.uow() as uow:
            uow.outbox.release(item.id)
            uow.commit()

    def drain(self) -> int:
        """Deliver until nothing is due (retries scheduled later stay queued)."""
        total = 0
        while sent := self.run_once():
            total += sent
        return total

    def _deliver(self, item: QueuedNotification, recipient: Person | None) -> bool:
        try:
            ref = self.deliverer.deliver(recipient, item.notification)
        except DeliveryFailed as failure:
            self._failed(item, str(failure), failure.retry_after, failure.permanent)
            return False
        except Exception as error:  # an adapter bug must not stop the other deliveries
            log.exception("delivery of notification %s crashed", item.id)
            self._failed(item, repr(error), None, False)
            return False
        with self.uow() as uow:
            uow.outbox.mark_sent(item.id, self.clock.now(), ref)
            uow.commit()
        return True

    def _failed(
        self, item: QueuedNotification, reason: str, retry_after: float | None, permanent: bool
    ) -> None:
        now = self.clock.now()
        with self.uow() as uow:
            if permanent or item.attempts + 1 >= self.max_attempts:
                log.warning("giving up on notification %s: %s", item.id, reason)
                uow.outbox.give_up(item.id, reason, now)
                self._tell_advisors_if_unreachable(uow, item.notification)
            else:
                delay = retry_after if retry_after is not None else self.backoff(item.attempts)
                uow.outbox.retry_later(item.id, reason, now + timedelta(seconds=delay))
            uow.commit()

    def _tell_advisors_if_unreachable(self, uow: UnitOfWork, notification: Notification) -> None:
        """A student no message reaches is the advisors' concern (once a day at most)."""
        if notification.recipient_id is None:
            return
        person = uow.people.get(notification.recipient_id)
        if person is None or not person.has(Role.STUDENT):
            return
        now = self.clock.now()
        uow.outbox.add_many(
            [
                Notification(
                    idempotency_key=f"unreachable:{person.id}:{now:%Y-%m-%d}:{channel}",
                    recipient_id=None,
                    channel=channel,
                    key="delivery.unreachable",
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
