"""The facts the bot keeps, as plain values; storage maps them to rows."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.replies import Choice


class Role(enum.StrEnum):
    STUDENT = "student"
    MENTOR = "mentor"
    VALIDATOR = "validator"
    ADVISOR = "advisor"


class PersonStatus(enum.StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"


class SessionStatus(enum.StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    DONE = "done"
    NO_SHOW = "no_show"


class SessionKind(enum.StrEnum):
    MENTORING = "mentoring"
    DEFENSE = "defense"


class ContactRule(enum.StrEnum):
    UNSET = "unset"
    NONE = "none"
    ASYNC = "async"
    WINDOW = "window"


@dataclass(frozen=True)
class Person:
    id: int
    email: str
    name: str
    timezone: str
    locale: str
    roles: frozenset[Role]
    status: PersonStatus = PersonStatus.ACTIVE

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def has(self, role: Role) -> bool:
        return role in self.roles


@dataclass(frozen=True)
class Mentorship:
    id: int
    student_id: int
    mentor_id: int
    path: str
    session_minutes: int
    sessions_per_week: int
    contact_rule: ContactRule = ContactRule.UNSET

    @property
    def length(self) -> timedelta:
        return timedelta(minutes=self.session_minutes)


@dataclass(frozen=True)
class WeeklyAvailability:
    """A recurring window kept as local weekday and times plus a zone, so it follows DST."""

    id: int
    person_id: int
    weekday: int  # 0 = Monday, as datetime.weekday()
    starts: time
    ends: time
    timezone: str


@dataclass(frozen=True)
class TimeOff:
    id: int
    person_id: int
    first_day: date
    last_day: date
    starts_at: datetime  # UTC, local midnight of first_day
    ends_at: datetime  # UTC, local midnight after last_day


@dataclass(frozen=True)
class Session:
    id: int
    student_id: int
    host_id: int  # the mentor, or the validator of a defense
    kind: SessionKind
    starts_at: datetime
    ends_at: datetime
    status: SessionStatus = SessionStatus.BOOKED
    cancelled_by: int | None = None
    cancelled_at: datetime | None = None
    late_cancellation: bool = False
    move_count: int = 0

    @property
    def is_live(self) -> bool:
        return self.status == SessionStatus.BOOKED

    def overlaps(self, starts_at: datetime, ends_at: datetime) -> bool:
        return self.starts_at < ends_at and starts_at < self.ends_at

    def counts_toward_quota(self) -> bool:
        """A late cancellation is counted like an absence, so it still uses the week's quota."""
        if self.kind != SessionKind.MENTORING:
            return False
        return self.status != SessionStatus.CANCELLED or self.late_cancellation


@dataclass(frozen=True)
class NewSession:
    student_id: int
    host_id: int
    kind: SessionKind
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Notification:
    """A message decided now and delivered later by the outbox worker."""

    idempotency_key: str
    recipient_id: int | None  # a person; None means the advisors channel
    key: str
    params: dict[str, object] = field(default_factory=dict)
    channel: str | None = None
    choices: tuple[Choice, ...] = ()  # buttons; each runs its command as whoever presses it


@dataclass(frozen=True)
class QueuedNotification:
    id: int
    notification: Notification
    attempts: int
