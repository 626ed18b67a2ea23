"""The scheduler's bookkeeping: job runs, the reminder log, processed platform event ids."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from bot.domain import Session


class JobRuns(Protocol):
    def claim(self, job: str, period: str, at: datetime) -> bool: ...


class Reminders(Protocol):
    def starting_between(self, start: datetime, end: datetime) -> list[Session]: ...
    def ended_between(self, start: datetime, end: datetime) -> list[Session]: ...
    def logged(self, sessions: Iterable[Session]) -> set[tuple[int, datetime, int]]: ...
    def log(self, session: Session, offset: int, outcome: str, at: datetime) -> None: ...


class ProcessedEvents(Protocol):
    def first_time(self, platform: str, event_id: str, at: datetime) -> bool: ...
    def forget_before(self, at: datetime) -> int: ...
