"""Mentorships and availability: weekly hours, time off."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from typing import Protocol

from bot.domain import Mentorship, TimeOff, WeeklyAvailability
from bot.student_hours import StudentHours


class Mentorships(Protocol):
    def for_student(self, student_id: int, *, lock: bool = False) -> Mentorship | None: ...
    def for_mentor(self, mentor_id: int) -> list[Mentorship]: ...
    def mentors_of(self, student_ids: Iterable[int]) -> dict[int, int]: ...
    def add_many(self, mentorships: Sequence[tuple[int, int, str, int, int]]) -> None: ...
    def save(
        self,
        student_id: int,
        mentor_id: int,
        path: str,
        session_minutes: int,
        sessions_per_week: int,
    ) -> bool: ...


class Availability(Protocol):
    def weekly(self, person_id: int) -> list[WeeklyAvailability]: ...
    def add_weekly(
        self, person_id: int, weekday: int, starts: time, ends: time, timezone: str
    ) -> WeeklyAvailability: ...
    def remove_weekly(self, availability_id: int) -> None: ...
    def time_off(self, person_id: int, since: datetime) -> list[TimeOff]: ...
    def time_off_of(self, person_ids: Iterable[int], since: datetime) -> list[TimeOff]: ...
    def remove_time_off(self, time_off_id: int) -> None: ...
    def add_time_off(
        self,
        person_id: int,
        first_day: date,
        last_day: date,
        starts_at: datetime,
        ends_at: datetime,
    ) -> TimeOff: ...
    def weekly_and_hours(
        self, person_id: int
    ) -> tuple[list[WeeklyAvailability], StudentHours | None]: ...
    def set_student_hours(self, person_id: int, hours: StudentHours | None) -> None: ...
