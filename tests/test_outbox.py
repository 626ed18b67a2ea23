"""The outbox worker: delivers once, retries with backoff, honours Retry-After, gives up."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import ManualClock
from bot.domain import Notification, Role
from bot.outbox import DeliveryFailed, OutboxWorker
from storage.database import Database
from tests.recording import RecordingDeliverer


def queue(database: Database, clock: ManualClock, count: int = 1) -> None:
    with database.uow() as uow:
        person = uow.people.add("p@x.org", "P", "UTC", "en", [Role.STUDENT])
        for n in range(count):
            uow.outbox.add(Notification(f"k{n}", person.id, "sessions.none"), clock.now())
        uow.commit()


def pending(database: Database) -> int:
    with database.uow() as uow:
        return uow.outbox.pending_count()


def test_delivers_each_notification_once(database: Database, clock: ManualClock) -> None:
    queue(database, clock, 3)
    deliverer = RecordingDeliverer()
    worker = OutboxWorker(database.uow, clock, deliverer, batch_size=2)
    assert worker.drain() == 3
    assert worker.drain() == 0
    assert [n.idempotency_key for _, n in deliverer.sent] == ["k0", "k1", "k2"]
    assert pending(database) == 0


def test_429_then_500_then_success_sends_once(database: Database, clock: ManualClock) -> None:
    queue(database, clock)
    deliverer = RecordingDeliverer(
        [DeliveryFailed("429", retry_after=30), DeliveryFailed("500 Internal Server Error")]
    )
    worker = OutboxWorker(database.uow, clock, deliverer)
    assert worker.run_once() == 0
    clock.advance(seconds=29)
    assert worker.run_once() == 0 and deliverer.attempts == 1  # Retry-After is honoured
    clock.advance(seconds=1)
    assert worker.run_once() == 0 and deliverer.attempts == 2
    clock.advance(seconds=OutboxWorker.backoff(1) + 4)
    assert worker.run_once() == 1
    assert deliverer.attempts == 3 and len(deliverer.sent) == 1
    assert pending(database) == 0


def test_permanent_failures_and_exhausted_retries_stop(
    database: Database, clock: ManualClock
) -> None:
    queue(database, clock, 2)
    deliverer = RecordingDeliverer(
        [DeliveryFailed("dm closed", permanent=True)] + [DeliveryFailed("down")] * 3
    )
    worker = OutboxWorker(database.uow, clock, deliverer, max_attempts=3)
    for _ in range(4):
        worker.run_once()
        clock.advance(hours=2)
    assert deliverer.attempts == 4 and deliverer.sent == []
    assert pending(database) == 0
    # The person is a student nothing reaches: the advisors are told, once.
    assert [n.key for n in deliverer.posted] == ["delivery.unreachable"]


def test_backoff_grows_and_is_capped() -> None:
    assert 1 <= OutboxWorker.backoff(0) <= 2
    assert 512 <= OutboxWorker.backoff(9) <= 1024
    assert OutboxWorker.backoff(40) <= 3600
    assert timedelta(seconds=OutboxWorker.backoff(3)) > timedelta(0)
