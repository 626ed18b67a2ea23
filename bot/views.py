"""Reads for what adapters show: plain data, so an adapter only renders (CONVENTIONS habit 15).

The Slack App Home, Discord's `/notes` autocomplete and the delivery loops used to open units
of work and decide from repositories what to show; the rules (whose ISO week a check-in is
filed under, which sessions still await notes) now live here once, one read transaction each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.domain import AlertStatus, Mentorship, Person, PersonStatus
from bot.ports import UnitOfWork, UnitOfWorkFactory

NEXT_SESSIONS_SCANNED = 20
LIVE_ALERTS = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)
NOTES_WINDOW = timedelta(days=14)  # sessions ended longer ago are no longer offered for notes


@dataclass(frozen=True)
class Contract:
    """A student's mentorship as they see it: the path, the mentor and the session quota."""

    path: str | None
    mentor_name: str | None
    session_minutes: int
    sessions_per_week: int


@dataclass(frozen=True)
class CheckinWeek:
    """This week's check-in for a student: answered (when, how confident) or still due."""

    answered_at: datetime | None = None
    confidence: int | None = None

    @property
    def done(self) -> bool:
        return self.answered_at is not None


@dataclass(frozen=True)
class StudentLine:
    """One of a mentor's students: what the mentor's overview says about them."""

    name: str
    path: str | None
    next_session: datetime | None  # the next live session this mentor hosts for them
    last_checkin: CheckinWeek | None  # the latest answered among the recent weeks
    live_alerts: int


@dataclass(frozen=True)
class SessionToNote:
    id: int
    starts_at: datetime


class Views:
    """Read-only queries, each in its own unit of work (never committed)."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock

    def contract(self, student_id: int) -> Contract | None:
        """The student's mentorship, or None when they have none yet."""
        with self.uow() as uow:
            mentorship = uow.mentorships.for_student(student_id)
            if mentorship is None:
                return None
            mentor = uow.people.get(mentorship.mentor_id)
        return Contract(
            mentorship.path,
            mentor.name if mentor else None,
            mentorship.session_minutes,
            mentorship.sessions_per_week,
        )

    def checkin_week(self, student: Person) -> CheckinWeek | None:
        """This week's check-in in the student's own ISO week (as the core files it); None
        while they are paused, since the programme asks nothing of them then."""
        if student.status != PersonStatus.ACTIVE:
            return None
        year, week, _ = self.clock.now().astimezone(student.zone).isocalendar()
        with self.uow() as uow:
            latest = next(iter(uow.checkins.recent(student.id, limit=1)), None)
        if latest and latest.answered_at and (latest.iso_year, latest.iso_week) == (year, week):
            return CheckinWeek(latest.answered_at, latest.confidence)
        return CheckinWeek()

    def mentor_students(self, mentor_id: int) -> list[StudentLine]:
        """Each of the mentor's students: path, next session, last check-in, live alerts."""
        now = self.clock.now()
        with self.uow() as uow:
            return [
                line
                for mentorship in uow.mentorships.for_mentor(mentor_id)
                if (line := _student_line(uow, mentorship, now)) is not None
            ]

    def sessions_to_note(self, host_id: int) -> list[SessionToNote]:
        """Sessions this person hosted that have started, ended at most two weeks ago, and are
        still booked (no attendance recorded yet): latest first."""
        now = self.clock.now()
        with self.uow() as uow:
            ended = uow.reminders.ended_between(now - NOTES_WINDOW, now + timedelta(days=1))
        mine = [s for s in ended if s.host_id == host_id and s.starts_at <= now]
        mine.sort(key=lambda s: s.starts_at, reverse=True)
        return [SessionToNote(s.id, s.starts_at) for s in mine]

    def account(self, person_id: int, platform: str) -> str | None:
        """The person's account on a platform (its own id there), for delivery to reach them."""
        with self.uow() as uow:
            return uow.identities.external_id(person_id, platform)


def _student_line(uow: UnitOfWork, mentorship: Mentorship, now: datetime) -> StudentLine | None:
    student = uow.people.get(mentorship.student_id)
    if student is None:
        return None
    upcoming = uow.sessions.upcoming(student.id, now, NEXT_SESSIONS_SCANNED)
    ahead = [s for s in upcoming if s.host_id == mentorship.mentor_id and s.is_live]
    answered = (c for c in uow.checkins.recent(student.id) if c.answered_at is not None)
    last = next(answered, None)
    return StudentLine(
        student.name,
        mentorship.path,
        ahead[0].starts_at if ahead else None,
        CheckinWeek(last.answered_at, last.confidence) if last else None,
        len(uow.alerts.listing(LIVE_ALERTS, student.id)),
    )
