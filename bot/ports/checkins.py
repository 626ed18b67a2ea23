"""Weekly check-ins."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol

from bot.domain import Checkin, CheckinAnswer, Notification


class Checkins(Protocol):
    def candidates(self, now: datetime) -> list[tuple[int, str]]: ...
    def zones(self, now: datetime) -> list[str]: ...
    def page_size(self, batch: int) -> int: ...
    def shares(self, parts: int) -> list[tuple[int, int]]: ...
    def open_page(
        self,
        week: tuple[int, int],
        zones: Collection[str],
        now: datetime,
        after: int,
        limit: int,
        prompt: Notification,
        until: int | None = None,
    ) -> tuple[int, int] | None: ...
    def create(
        self, week: tuple[int, int], student_ids: Sequence[int], at: datetime
    ) -> list[int]: ...
    def answer(
        self, student_id: int, week: tuple[int, int], answer: CheckinAnswer, at: datetime
    ) -> None: ...
    def recent(self, student_id: int, limit: int = 6) -> list[Checkin]: ...
    def recent_of(
        self, student_ids: Collection[int], limit: int = 6
    ) -> dict[int, list[Checkin]]: ...
