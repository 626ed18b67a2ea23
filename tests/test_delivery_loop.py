"""The background delivery loop sends what a command queued as soon as it is woken."""

from __future__ import annotations

import threading

from adapters.delivery import DeliveryLoop
from bot.clock import ManualClock
from bot.domain import Notification, Person, Role
from bot.outbox import OutboxWorker
from storage.database import Database
from tests.conftest import Programme


class SignallingDeliverer:
    def __init__(self) -> None:
        self.sent: list[str] = []
        self.arrived = threading.Event()

    def deliver(self, recipient: Person | None, notification: Notification) -> None:
        self.sent.append(notification.key)
        self.arrived.set()


def test_a_booking_notification_is_delivered_when_the_loop_is_woken(
    programme: Programme, clock: ManualClock
) -> None:
    deliverer = SignallingDeliverer()
    # A long interval: only wake() can explain a prompt delivery.
    loop = DeliveryLoop(OutboxWorker(programme.database.uow, clock, deliverer), interval=3600)
    loop.start()
    try:
        programme.ok("lea", "/book 2026-11-26 09:00")
        loop.wake()
        assert deliverer.arrived.wait(timeout=10)
    finally:
        loop.stop()
    assert deliverer.sent == ["notify.session_booked"]


class HeldPlatform:
    """Holds each message until the test lets it go: a delivery in flight, on demand."""

    def __init__(self) -> None:
        self.in_flight = threading.Event()
        self.go = threading.Event()
        self.sent: list[str] = []

    def deliver(self, recipient: Person | None, notification: Notification) -> None:
        self.in_flight.set()
        self.go.wait(timeout=30)
        self.sent.append(notification.idempotency_key)


def queue_for_five(database: Database, clock: ManualClock) -> None:
    with database.uow() as uow:
        people = [
            uow.people.add(f"p{n}@x.org", f"P{n}", "UTC", "en", [Role.STUDENT]) for n in range(5)
        ]
        uow.outbox.add_many(
            [Notification(f"k{p.id}", p.id, "sessions.none") for p in people], clock.now()
        )
        uow.commit()


def claimable_now(database: Database, clock: ManualClock) -> list[str]:
    """What another replica could take at this very instant (no lease to wait out)."""
    with database.uow() as uow:
        return [q.notification.idempotency_key for q in uow.outbox.claim_due(clock.now(), 10, 30)]


def test_stop_finishes_the_message_in_flight_and_hands_the_rest_back(
    database: Database, clock: ManualClock
) -> None:
    queue_for_five(database, clock)
    platform = HeldPlatform()
    loop = DeliveryLoop(OutboxWorker(database.uow, clock, platform), interval=3600).start()
    assert platform.in_flight.wait(timeout=10)
    stopping = threading.Thread(target=loop.stop, kwargs={"timeout": 10})
    stopping.start()
    platform.go.set()
    stopping.join(timeout=15)
    assert not stopping.is_alive()
    assert platform.sent == ["k1"]  # finished, not abandoned; nothing claimed after the stop
    assert claimable_now(database, clock) == ["k2", "k3", "k4", "k5"]


def test_a_stop_that_cannot_wait_for_a_hung_call_still_hands_back_the_others(
    database: Database, clock: ManualClock
) -> None:
    queue_for_five(database, clock)
    platform = HeldPlatform()
    loop = DeliveryLoop(OutboxWorker(database.uow, clock, platform), interval=3600).start()
    assert platform.in_flight.wait(timeout=10)
    loop.stop(timeout=0.2)  # the call in flight never answers in time
    assert claimable_now(database, clock) == ["k2", "k3", "k4", "k5"]  # only k1 keeps its lease
    platform.go.set()
    loop.stop(timeout=10)  # the late answer is recorded before the database goes away
    assert platform.sent == ["k1"]
