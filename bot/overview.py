"""The programme now, for advisors: plain data that each adapter renders (the App Home, the
`/overview` reply). Every number is defined here once:

- alerts: not resolved (open or acknowledged), by age since raised and by category;
- at risk: a live disengagement alert (its summary is the reason), or a feedback flag in the
  last four weeks;
- sessions: mentoring sessions starting in the programme's week (Monday 00:00 local), held
  (attendance recorded), missed (no-show) or cancelled late by the student;
- check-ins: of those filed under the week, the share answered;
- mentors: their students, their sessions this week (not cancelled in time), and sessions
  ended in the last two weeks still waiting for notes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain import (
    Alert,
    AlertCategory,
    AlertStatus,
    Checkin,
    Role,
    Session,
    SessionKind,
    SessionStatus,
)
from bot.feedback import SessionFeedback
from bot.ports import UnitOfWork
from bot.replies import Text
from bot.services.alerts import summary_of
from bot.weeks import Week, week_of

AGES = (("day", timedelta(days=1)), ("days3", timedelta(days=3)), ("week", timedelta(days=7)))
OLDER = "older"
NOTES_WINDOW = timedelta(days=14)
FLAG_WINDOW = timedelta(weeks=4)
REASON_LENGTH = 80  # an alert's summary, cut: the overview is a glance, /alerts has it whole


@dataclass(frozen=True)
class AlertCounts:
    total: int
    unacknowledged: int
    by_age: dict[str, int]  # day (< 1 day), days3 (1–3), week (3–7), older (> 7 days)
    by_category: dict[AlertCategory, int]


@dataclass(frozen=True)
class AtRisk:
    student_id: int
    name: str
    mentor: str | None
    reason: Text


@dataclass(frozen=True)
class WeekSessions:
    held: int = 0
    missed: int = 0
    cancelled_late: int = 0
    booked: int = 0  # still booked: to come, or waiting for attendance


@dataclass(frozen=True)
class Rate:
    asked: int
    answered: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.answered / self.asked) if self.asked else None


@dataclass(frozen=True)
class MentorLoad:
    mentor_id: int
    name: str
    students: int
    sessions_this_week: int
    notes_missing: int


@dataclass(frozen=True)
class FeedbackSummary:
    answered: int
    average: float | None
    low: int  # answers at or under the low score


@dataclass(frozen=True)
class Overview:
    now: datetime
    week_starts: datetime
    students: int
    alerts: AlertCounts
    at_risk: list[AtRisk]
    this_week: WeekSessions
    last_week: WeekSessions
    checkins_this_week: Rate
    checkins_last_week: Rate
    feedback: FeedbackSummary  # surveys asked this week and last
    mentors: list[MentorLoad]


def build(uow: UnitOfWork, now: datetime, zone: ZoneInfo, low_score: int = 2) -> Overview:
    this = week_of(now, zone)
    last = week_of(this.starts_at - timedelta(days=1), zone)
    sessions = [
        s
        for s in uow.reports.sessions(last.starts_at, this.ends_at)
        if s.kind == SessionKind.MENTORING
    ]
    checkins = uow.reports.checkins_of_weeks([this.iso, last.iso])
    people = _Programme(uow)
    return Overview(
        now=now,
        week_starts=this.starts_at,
        students=len(people.students),
        alerts=_alert_counts(people.live_alerts, now),
        at_risk=_at_risk(uow, now, people),
        this_week=_week_sessions(sessions, this),
        last_week=_week_sessions(sessions, last),
        checkins_this_week=_rate(checkins, this),
        checkins_last_week=_rate(checkins, last),
        feedback=_feedback(uow.feedback.asked_between(last.starts_at, this.ends_at), low_score),
        mentors=_mentors(uow, now, this, sessions, people),
    )


class _Programme:
    """Who is in the programme now, read once: active students and mentors, their pairs."""

    def __init__(self, uow: UnitOfWork) -> None:
        people = uow.reports.people(Role.STUDENT, Role.MENTOR)
        self.students = {p.id: p for p in people if p.has(Role.STUDENT)}
        self.mentors = [p for p in people if p.has(Role.MENTOR)]
        self.mentorships = uow.reports.mentorships()
        self.live_alerts = uow.reports.live_alerts()
        names = {p.id: p.name for p in people}
        missing = {m.mentor_id for m in self.mentorships} - set(names)
        names |= {pid: p.name for pid, p in uow.people.get_many(missing).items()}
        self.mentor_of = {
            m.student_id: names[m.mentor_id] for m in self.mentorships if m.mentor_id in names
        }


def _alert_counts(alerts: list[Alert], now: datetime) -> AlertCounts:
    ages: Counter[str] = Counter({name: 0 for name, _ in AGES} | {OLDER: 0})
    for alert in alerts:
        age = now - alert.created_at
        ages[next((name for name, limit in AGES if age < limit), OLDER)] += 1
    categories = Counter(a.category for a in alerts)
    return AlertCounts(
        total=len(alerts),
        unacknowledged=sum(a.status == AlertStatus.OPEN for a in alerts),
        by_age=dict(ages),
        by_category={c: categories[c] for c in AlertCategory if categories[c]},
    )


def _at_risk(uow: UnitOfWork, now: datetime, people: _Programme) -> list[AtRisk]:
    reasons = at_risk(uow, now, people.live_alerts, people.students.keys())
    risky = [
        AtRisk(sid, people.students[sid].name, people.mentor_of.get(sid), reason)
        for sid, reason in reasons.items()
    ]
    return sorted(risky, key=lambda r: r.name.casefold())


def at_risk(
    uow: UnitOfWork, now: datetime, live_alerts: list[Alert], students: Collection[int] | None
) -> dict[int, Text]:
    """The students at risk among `students` (None: any), and why: the one definition (the
    overview's list, `/students at-risk`)."""
    reasons: dict[int, Text] = {}
    for alert in live_alerts:
        among = students is None or alert.student_id in students
        if alert.category == AlertCategory.DISENGAGEMENT and among:
            # The system's summary is catalogue texts, rendered in the reader's language.
            text = summary_of(alert) if alert.summary_texts else _short(alert.summary)
            reason = Text("overview.reason", {"text": text})
            reasons.setdefault(alert.student_id, reason)
    flagged = uow.feedback.asked_between(now - FLAG_WINDOW, now + timedelta(days=1))
    for answer in flagged:
        if answer.flagged_at is not None and (students is None or answer.student_id in students):
            reasons.setdefault(answer.student_id, Text("overview.reason_feedback"))
    return reasons


def _short(text: str) -> str:
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1].rstrip() + "…"


def _in(session: Session, week: Week) -> bool:
    return week.starts_at <= session.starts_at < week.ends_at


def _week_sessions(sessions: list[Session], week: Week) -> WeekSessions:
    mine = [s for s in sessions if _in(s, week)]
    return WeekSessions(
        held=sum(s.status == SessionStatus.DONE for s in mine),
        missed=sum(s.status == SessionStatus.NO_SHOW for s in mine),
        cancelled_late=sum(
            s.status == SessionStatus.CANCELLED and s.late_cancellation for s in mine
        ),
        booked=sum(s.status == SessionStatus.BOOKED for s in mine),
    )


def _rate(checkins: list[Checkin], week: Week) -> Rate:
    filed = [c for c in checkins if (c.iso_year, c.iso_week) == week.iso and c.sent_at]
    return Rate(len(filed), sum(c.answered_at is not None for c in filed))


def _feedback(answers: list[SessionFeedback], low: int) -> FeedbackSummary:
    scores = [a.score for a in answers if a.score is not None]
    average = round(sum(scores) / len(scores), 1) if scores else None
    return FeedbackSummary(len(scores), average, sum(s <= low for s in scores))


def _mentors(
    uow: UnitOfWork, now: datetime, week: Week, sessions: list[Session], people: _Programme
) -> list[MentorLoad]:
    students = Counter(m.mentor_id for m in people.mentorships if m.student_id in people.students)
    this_week = Counter(s.host_id for s in sessions if _in(s, week) and _counts(s))
    unnoted = Counter(
        s.host_id
        for s in uow.reports.unnoted(now - NOTES_WINDOW, now)
        if s.kind == SessionKind.MENTORING
    )
    loads = [
        MentorLoad(m.id, m.name, students[m.id], this_week[m.id], unnoted[m.id])
        for m in people.mentors
    ]
    return sorted(loads, key=lambda m: m.name.casefold())


def _counts(session: Session) -> bool:
    """A session that took (or takes) the mentor's time: not one cancelled in time."""
    return session.status != SessionStatus.CANCELLED or session.late_cancellation
