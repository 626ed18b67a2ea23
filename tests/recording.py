"""A deliverer that records instead of sending: the console's and the chat adapters' stand-in
for tests of the core's outbox, where no platform is involved."""

from __future__ import annotations

from bot.domain import Notification, Person
from bot.outbox import DeliveryFailed
from bot.replies import Text


class RecordingDeliverer:
    def __init__(self, failures: list[DeliveryFailed] | None = None) -> None:
        self.sent: list[tuple[Person, Notification]] = []
        self.posted: list[Notification] = []  # to the advisors' channel
        self.failures = list(failures or [])
        self.attempts = 0

    def deliver(self, recipient: Person | None, notification: Notification) -> str | None:
        if recipient is None:
            self.posted.append(notification)
            return None
        self.attempts += 1
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((recipient, notification))
        return None

    def texts(self) -> list[Text]:
        return [Text(n.key, n.params) for _, n in self.sent]
