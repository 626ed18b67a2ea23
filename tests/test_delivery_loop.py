"""The background delivery loop sends what a command queued as soon as it is woken."""

from __future__ import annotations

import threading

from adapters.delivery import DeliveryLoop
from bot.clock import ManualClock
from bot.domain import Notification, Person
from bot.outbox import OutboxWorker
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
