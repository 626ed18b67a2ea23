"""The last weeks of the programme, one point a week: what the advisors' chart draws."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.ports import UnitOfWork
from bot.ports.reports import CheckinTally, SessionTally
from bot.weeks import Week, weeks_back

WEEKS = 12


@dataclass(frozen=True)
class WeekPoint:
    starts_at: datetime  # the week's local Monday 00:00, as a UTC instant
    held: int
    missed: int  # no-shows and late cancellations
    checkin_rate: float | None  # answered / sent, 0–1; None when none was sent
    confidence: float | None  # mean of the answered check-ins; None when none was


def weekly(uow: UnitOfWork, now: datetime, zone: ZoneInfo, count: int = WEEKS) -> list[WeekPoint]:
    """Counted by the database, two statements whatever the school's size (it read every
    session and check-in of the twelve weeks: 120,000 of each at 10,000 students)."""
    weeks = weeks_back(now, zone, count)
    sessions = uow.reports.mentoring_by_week([(w.starts_at, w.ends_at) for w in weeks])
    checkins = uow.reports.checkins_by_week([w.iso for w in weeks])
    return [_point(w, s, checkins.get(w.iso)) for w, s in zip(weeks, sessions, strict=True)]


def _point(week: Week, sessions: SessionTally, checkins: CheckinTally | None) -> WeekPoint:
    sent = checkins.sent if checkins else 0
    scores = checkins.confidences if checkins else 0
    return WeekPoint(
        starts_at=week.starts_at,
        held=sessions.held,
        missed=sessions.missed,
        checkin_rate=checkins.answered / sent if checkins and sent else None,
        confidence=checkins.confidence_sum / scores if checkins and scores else None,
    )


@dataclass(frozen=True)
class ConfidencePoint:
    iso_week: tuple[int, int]
    confidence: int


def confidence_trend(uow: UnitOfWork, student_id: int, count: int = WEEKS) -> list[ConfidencePoint]:
    """A student's answered confidences, oldest first."""
    answered = [c for c in uow.checkins.recent(student_id, count) if c.confidence is not None]
    return [
        ConfidencePoint((c.iso_year, c.iso_week), c.confidence)
        for c in reversed(answered)
        if c.confidence is not None
    ]
