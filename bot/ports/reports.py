"""Read-only facts over a period, for the overview, the weekly trends and the CSV exports."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple, Protocol

from bot.domain import (
    Alert,
    Checkin,
    Mentorship,
    Person,
    Role,
    Session,
    SessionNotes,
)


class LiveAlerts(NamedTuple):
    """The live alerts as the digest tells them: how many, how many students are at risk (a
    live disengagement alert each), and the names of the latest of those."""

    total: int
    at_risk: int
    names: list[str]


class SessionTally(NamedTuple):
    """A week's mentoring sessions: held, and missed (no-shows and late cancellations)."""

    held: int
    missed: int


class CheckinTally(NamedTuple):
    """An ISO week's check-ins: sent, answered (of those sent), and the answered confidences'
    sum and count."""

    sent: int
    answered: int
    confidence_sum: int
    confidences: int


class Reports(Protocol):
    def mentoring_by_week(
        self, weeks: Sequence[tuple[datetime, datetime]]
    ) -> list[SessionTally]: ...
    def checkins_by_week(
        self, weeks: Sequence[tuple[int, int]]
    ) -> dict[tuple[int, int], CheckinTally]: ...
    def sessions(self, since: datetime, until: datetime) -> list[Session]: ...
    def notes(self, session_ids: Sequence[int]) -> dict[int, SessionNotes]: ...
    def checkins_of_weeks(self, weeks: Sequence[tuple[int, int]]) -> list[Checkin]: ...
    def checkins_sent(self, since: datetime, until: datetime) -> list[Checkin]: ...
    def live_alerts(self) -> list[Alert]: ...
    def live_alert_names(self, limit: int) -> LiveAlerts: ...
    def alerts_raised(self, since: datetime, until: datetime) -> list[Alert]: ...
    def mentorships(self) -> list[Mentorship]: ...
    def people(self, *roles: Role) -> list[Person]: ...
    def unnoted(self, ended_since: datetime, now: datetime) -> list[Session]: ...
