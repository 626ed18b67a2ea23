"""The outbox: queued notifications, leased to delivery workers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from bot.channels import Backlog, Reach
from bot.domain import Notification, QueuedNotification

# In the key of a notification queued for each of many recipients at once (a week's check-ins,
# see Checkins.open_page), where each recipient's id goes.
RECIPIENT = "{recipient}"

# A notification of many alike (Outbox.add_alike): made from a number and a text (an alert's id,
# its student's name), which it shows as they are.
Template = Callable[[int, str], Notification]


class Outbox(Protocol):
    """Queued notifications (storage.repositories.outbox says how leases work)."""

    def add(self, notification: Notification, now: datetime) -> None: ...
    def add_many(self, notifications: Sequence[Notification], now: datetime) -> None: ...
    def add_alike(
        self, notifications: Sequence[tuple[Template, int, str]], now: datetime
    ) -> None: ...
    def claim_due(
        self,
        now: datetime,
        limit: int,
        lease_seconds: int | float,
        reach: Reach | None = None,
        owner: str | None = None,
    ) -> list[QueuedNotification]: ...
    def renew(self, ids: Sequence[int], owner: str, until: datetime) -> set[int]: ...
    def release(self, *notification_ids: int, owner: str | None = None) -> int: ...
    def mark_sent(
        self, notification_id: int, at: datetime, ref: str | None = None, owner: str | None = None
    ) -> bool: ...
    def retry_later(
        self,
        notification_id: int,
        error: str,
        at: datetime,
        *,
        counts: bool = True,
        owner: str | None = None,
    ) -> bool: ...
    def give_up(
        self, notification_id: int, error: str, at: datetime, owner: str | None = None
    ) -> bool: ...
    def park(
        self, notification_id: int, error: str, at: datetime, owner: str | None = None
    ) -> bool: ...
    def unpark(self, parked_before: datetime) -> int: ...
    def unpark_person(self, person_id: int) -> int: ...
    def prune(self, finished_before: datetime, batch: int = 5_000) -> int: ...
    def pending_count(self) -> int: ...
    def stats(self, now: datetime, routes: Sequence[str] = ...) -> list[Backlog]: ...
    def discard_pending(self, key_prefix: str, at: datetime) -> None: ...
