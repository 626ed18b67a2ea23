"""The advisors' lists: a page of alerts, a page of students, each read set-based (a handful
of statements for a page, whatever the programme's size)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from bot.domain import Alert, AlertCategory, AlertStatus, PersonStatus


@dataclass(frozen=True)
class AlertFilter:
    statuses: tuple[AlertStatus, ...]
    category: AlertCategory | None = None
    student_id: int | None = None
    mentor_id: int | None = None  # the student's mentor now


@dataclass(frozen=True)
class AlertPage:
    alerts: list[Alert]
    total: int  # matching the filter, all pages
    names: dict[int, str] = field(default_factory=dict)  # people the page names
    again: dict[int, str] = field(default_factory=dict)  # alert -> latest second report


@dataclass(frozen=True)
class StudentFilter:
    only: Collection[int] | None = None  # these students only (the at-risk ones)
    active: bool = False  # not paused
    paused: bool = False
    unlinked: bool = False  # no account on any platform yet
    mentor_id: int | None = None
    path: str | None = None


@dataclass(frozen=True)
class StudentFacts:
    """One line of `/students`: who, with whom, where on the path, how it goes."""

    student_id: int
    name: str
    status: PersonStatus
    mentor: str | None
    path: str | None
    project: str | None  # the current project's code and title
    last_session: datetime | None  # the latest held or started, not cancelled
    last_checkin: datetime | None  # the latest answered
    confidences: tuple[int, ...]  # the recent answered check-ins' confidence, oldest first
    live_alerts: int


@dataclass(frozen=True)
class StudentPage:
    students: list[StudentFacts]
    total: int


class Advising(Protocol):
    def alert_page(self, which: AlertFilter, offset: int, limit: int) -> AlertPage: ...
    def student_page(
        self, which: StudentFilter, now: datetime, offset: int, limit: int
    ) -> StudentPage: ...
