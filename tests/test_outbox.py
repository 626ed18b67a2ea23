"""The outbox worker: delivers once, retries with backoff, honours Retry-After, gives up."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from bot.channels import Backlog
from bot.clock import ManualClock
from bot.domain import Notification, Person, Role
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


class Outcomes:
    """The metrics hook: what the worker reported, per outcome."""

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()

    def delivery(self, platform: str, outcome: str) -> None:
        self.seen[outcome] += 1


def test_a_rate_limit_storm_spends_no_attempt(database: Database, clock: ManualClock) -> None:
    """Issue 11: 429s counted toward max_attempts, so a 45 s storm gave up on people."""
    queue(database, clock)
    storm = [DeliveryFailed("429", retry_after=4.5)] * 10
    deliverer, outcomes = RecordingDeliverer(storm), Outcomes()
    worker = OutboxWorker(database.uow, clock, deliverer, max_attempts=3, observer=outcomes)
    for _ in range(10):
        assert worker.run_once() == 0
        clock.advance(seconds=4.5)
    assert worker.run_once() == 1
    assert deliverer.posted == [] and pending(database) == 0  # nobody declared unreachable
    assert outcomes.seen == {"rate_limited": 10, "sent": 1}


def test_a_message_due_longer_than_the_limit_is_given_up(
    database: Database, clock: ManualClock
) -> None:
    queue(database, clock)
    deliverer, outcomes = (
        RecordingDeliverer([DeliveryFailed("429", retry_after=3600)] * 30),
        Outcomes(),
    )
    worker = OutboxWorker(
        database.uow, clock, deliverer, give_up_after=timedelta(hours=24), observer=outcomes
    )
    for _ in range(30):
        worker.run_once()
        clock.advance(hours=1)
    assert deliverer.attempts == 25  # hours 0..24: the try at 24 h gives up
    assert outcomes.seen == {"rate_limited": 24, "failed": 1, "sent": 1}  # sent: the advisors told
    assert pending(database) == 0
    assert [n.key for n in deliverer.posted] == ["delivery.unreachable"]


class SlowPlatform(RecordingDeliverer):
    """Each message takes `seconds` of the clock; at message `then_at`, `then` runs (another
    replica's pass)."""

    def __init__(self, clock: ManualClock, seconds: float) -> None:
        super().__init__()
        self.clock, self.seconds = clock, seconds
        self.then: Callable[[], None] = lambda: None
        self.then_at = -1
        self.keys: Counter[str] = Counter()

    def deliver(self, recipient: Person | None, notification: Notification) -> str | None:
        self.clock.advance(seconds=self.seconds)
        self.keys[notification.idempotency_key] += 1
        if sum(self.keys.values()) == self.then_at:
            self.then()
        return None


def test_a_slow_platform_does_not_let_another_replica_send_a_batch_twice(
    database: Database, clock: ManualClock
) -> None:
    """Issue 11: 100 claimed with a 120 s lease, sent at 2 s each, were re-claimed by another
    replica and sent twice. The lease is renewed while sending."""
    with database.uow() as uow:
        people = [
            uow.people.add(f"p{n}@x.org", f"P{n}", "UTC", "en", [Role.STUDENT]) for n in range(100)
        ]
        uow.outbox.add_many(
            [Notification(f"k{p.id}", p.id, "sessions.none") for p in people], clock.now()
        )
        uow.commit()
    platform, outcomes = SlowPlatform(clock, seconds=2), Outcomes()
    first = OutboxWorker(
        database.uow, clock, platform, batch_size=100, lease_seconds=120, observer=outcomes
    )
    other = OutboxWorker(database.uow, clock, platform, batch_size=100, lease_seconds=120)
    platform.then, platform.then_at = other.run_once, 70  # 140 s into the batch
    assert first.run_once() == 100
    assert len(platform.keys) == 100 and max(platform.keys.values()) == 1
    assert outcomes.seen == {"sent": 100}


def test_a_lease_lost_during_one_endless_call_is_fenced_and_counted(
    database: Database, clock: ManualClock
) -> None:
    queue(database, clock, 2)
    platform, outcomes = SlowPlatform(clock, seconds=0), Outcomes()
    first = OutboxWorker(database.uow, clock, platform, lease_seconds=30, observer=outcomes)
    other_platform = RecordingDeliverer()
    other = OutboxWorker(database.uow, clock, other_platform, lease_seconds=30)

    def stall_then_other_replica() -> None:  # the first call outlasts the lease
        clock.advance(seconds=31)
        assert other.run_once() == 2

    platform.then, platform.then_at = stall_then_other_replica, 1
    assert first.run_once() == 1
    # The late answer marks nothing that is now the other worker's, and the first worker does
    # not send k1, whose lease it lost: both are counted, so a too-short lease shows.
    assert outcomes.seen == {"lease_lost": 2}
    assert platform.keys == {"k0": 1}
    assert [n.idempotency_key for _, n in other_platform.sent] == ["k0", "k1"]
    assert pending(database) == 0


def test_the_backlog_per_route_in_one_query(database: Database, clock: ManualClock) -> None:
    with database.uow() as uow:
        linked = uow.people.add("s@x.org", "S", "UTC", "en", [Role.STUDENT])
        nowhere = uow.people.add("n@x.org", "N", "UTC", "en", [Role.STUDENT])
        uow.identities.link(linked.id, "discord", "111111111111111111")
        later = clock.now() + timedelta(hours=3)
        uow.outbox.add_many(
            [
                Notification("a", linked.id, "sessions.none"),
                Notification("b", linked.id, "sessions.none", not_before=later),
                Notification("c", nowhere.id, "sessions.none"),
                Notification("d", None, "alert.none", channel="advisors:slack"),
            ],
            clock.now(),
        )
        uow.commit()
    clock.advance(minutes=5)
    with database.uow() as uow:
        stats = {s.route: s for s in uow.outbox.stats(clock.now(), ("slack", "discord"))}
    assert stats["discord"] == Backlog("discord", 2, 300.0)  # the held one is not due yet
    assert stats["slack"] == Backlog("slack", 1, 300.0)  # linked nowhere: Slack may find them
    assert stats["advisors:slack"].pending == 1
