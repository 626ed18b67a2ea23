"""The last weeks of the programme, one point a week: what the advisors' chart draws."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain import Checkin, Session, SessionKind, SessionStatus
from bot.ports import UnitOfWork
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
    weeks = weeks_back(now, zone, count)
    sessions = [
        s
        for s in uow.reports.sessions(weeks[0].starts_at, weeks[-1].ends_at)
        if s.kind == SessionKind.MENTORING
    ]
    checkins = uow.reports.checkins_of_weeks([w.iso for w in weeks])
    return [_point(week, sessions, checkins) for week in weeks]


def _point(week: Week, sessions: list[Session], checkins: list[Checkin]) -> WeekPoint:
    mine = [s for s in sessions if week.starts_at <= s.starts_at < week.ends_at]
    sent = [c for c in checkins if (c.iso_year, c.iso_week) == week.iso and c.sent_at]
    answered = [c for c in sent if c.answered_at is not None]
    scores = [c.confidence for c in answered if c.confidence is not None]
    return WeekPoint(
        starts_at=week.starts_at,
        held=sum(s.status == SessionStatus.DONE for s in mine),
        missed=sum(_missed(s) for s in mine),
        checkin_rate=len(answered) / len(sent) if sent else None,
        confidence=sum(scores) / len(scores) if scores else None,
    )


def _missed(session: Session) -> bool:
    return session.status == SessionStatus.NO_SHOW or (
        session.status == SessionStatus.CANCELLED and session.late_cancellation
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
