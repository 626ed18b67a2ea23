"""A deliverer that records instead of sending: the console's and the chat adapters' stand-in
for tests of the core's outbox, where no platform is involved."""

from __future__ import annotations

from bot.domain import Notification, Person
from bot.outbox import DeliveryFailed
from bot.replies import Text


class RecordingDeliverer:
    def __init__(self, failures: list[DeliveryFailed] | None = None) -> None:
        self.sent: list[tuple[Person, Notification]] = []
        self.failures = list(failures or [])
        self.attempts = 0

    def deliver(self, recipient: Person | None, notification: Notification) -> None:
        self.attempts += 1
        if self.failures:
            raise self.failures.pop(0)
        assert recipient is not None
        self.sent.append((recipient, notification))

    def texts(self) -> list[Text]:
        return [Text(n.key, n.params) for _, n in self.sent]
