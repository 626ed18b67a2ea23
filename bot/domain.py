"""The facts the bot keeps, as plain values; storage maps them to rows."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.attachments import Attachment
from bot.replies import Choice, Text


class Role(enum.StrEnum):
    STUDENT = "student"
    MENTOR = "mentor"
    VALIDATOR = "validator"
    ADVISOR = "advisor"


class PersonStatus(enum.StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    ERASED = "erased"  # personal data removed on request; anonymous counts kept


class SessionStatus(enum.StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    DONE = "done"
    NO_SHOW = "no_show"


class Attendance(enum.StrEnum):
    """What the host records after a session. A student's late cancellation is not one of them:
    it is the student's own act (`/cancel` inside the notice), recorded on the session."""

    PRESENT = "present"
    LATE = "late"  # arrived late: the session was held
    ABSENT = "absent"  # no-show
    LATE_CANCELLATION = "late_cancellation"  # only on notes recorded before migration 0008

    @property
    def held(self) -> bool:
        return self in (Attendance.PRESENT, Attendance.LATE)


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
    project_position: int | None = None
    join_url: str | None = None  # the room to join, chosen at booking; a move keeps it
    ical_uid: str = ""  # the invite's UID, stable for the session's life
    ical_sequence: int = 0  # the invite's SEQUENCE: one more at each move or cancellation

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
class NewPerson:
    """Someone to create (a roster's new rows, created in bulk)."""

    email: str
    name: str
    timezone: str
    locale: str
    roles: frozenset[Role]


@dataclass(frozen=True)
class NewSession:
    student_id: int
    host_id: int
    kind: SessionKind
    starts_at: datetime
    ends_at: datetime
    project_position: int | None = None
    join_url: str | None = None


@dataclass(frozen=True)
class Notification:
    """A message decided now and delivered later by the outbox worker."""

    idempotency_key: str
    recipient_id: int | None  # a person; None means the advisors channel
    key: str
    params: dict[str, object] = field(default_factory=dict)
    channel: str | None = None
    choices: tuple[Choice, ...] = ()  # buttons; each runs its command as whoever presses it
    not_before: datetime | None = None  # held until then (a mentor's contact window)
    updates: str | None = None  # idempotency key of an earlier message this one replaces
    edit_ref: str | None = None  # filled by the worker: the platform's id of that message
    attachments: tuple[Attachment, ...] = ()  # files sent with it (a chart, an export)


@dataclass(frozen=True)
class QueuedNotification:
    id: int
    notification: Notification
    attempts: int  # errors so far (a rate limit is not one)
    due_since: datetime | None = None  # when it first became due: the give-up clock starts there


@dataclass(frozen=True)
class ContactPolicy:
    """A mentor's frame between sessions; `window` days and times are in `timezone`."""

    rule: ContactRule
    days: frozenset[int] = frozenset()
    starts: time | None = None
    ends: time | None = None
    timezone: str | None = None


class Topic(enum.StrEnum):
    """What a student's question is about; all but MENTOR are the advisor's business."""

    MENTOR = "mentor"
    RESOURCES = "resources"
    EXTRA_SESSION = "extra_session"
    PAUSE = "pause"
    ADMIN = "admin"
    ACCOMMODATION = "accommodation"


class Decision(enum.StrEnum):
    AWAITING_RULE = "awaiting_rule"
    RELAYED = "relayed"
    HELD = "held"
    AGENDA = "agenda"
    REDIRECTED = "redirected"
    AWAITING_CHOICE = "awaiting_choice"  # the router was unsure: the student picks first


@dataclass(frozen=True)
class Question:
    id: int
    student_id: int
    mentor_id: int
    text: str
    topic: Topic
    decision: Decision
    created_at: datetime
    deliver_at: datetime | None = None
    answer: str | None = None
    answered_at: datetime | None = None


class AlertCategory(enum.StrEnum):
    ABSENCE = "absence"
    CIRCUMSTANCES = "circumstances"
    DISENGAGEMENT = "disengagement"
    DISRESPECT = "disrespect"
    PLAGIARISM = "plagiarism"


class AlertStatus(enum.StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


@dataclass(frozen=True)
class Alert:
    id: int
    student_id: int
    raised_by: int | None  # None: raised by the system
    category: AlertCategory
    summary: str
    has_details: bool
    status: AlertStatus
    created_at: datetime
    reports: int = 1
    acknowledged_by: int | None = None
    acknowledged_at: datetime | None = None
    resolved_by: int | None = None
    resolved_at: datetime | None = None
    resolution_note: str | None = None
    last_pinged_at: datetime | None = None
    summary_texts: tuple[Text, ...] = ()  # the system's summary, rendered for each reader


@dataclass(frozen=True)
class AlertEvent:
    alert_id: int
    at: datetime
    actor_id: int | None
    action: str  # raised, reported_again, acknowledged, resolved, pinged, details_viewed
    note: str | None = None


@dataclass(frozen=True)
class Checkin:
    student_id: int
    iso_year: int
    iso_week: int
    sent_at: datetime | None
    answered_at: datetime | None = None
    progress: str | None = None
    confidence: int | None = None
    blockers: str | None = None
    goal: str | None = None


@dataclass(frozen=True)
class CheckinAnswer:
    progress: str
    confidence: int
    blockers: str
    goal: str


@dataclass(frozen=True)
class StudentActivity:
    """What the disengagement scan needs to know about one active student."""

    student_id: int
    joined_at: datetime
    missed_checkins: int  # consecutive, most recent first, each past its week
    absences: int  # no-shows and late cancellations in the rolling window
    has_recent_session: bool  # any session held, booked or missed in the last weeks


class ProjectStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    READY = "ready"  # for the defense, as the mentor judged
    DEFENSE_BOOKED = "defense_booked"
    VALIDATED = "validated"
    REWORK = "rework"


@dataclass(frozen=True)
class PathProject:
    path: str
    position: int
    code: str
    title: str


@dataclass(frozen=True)
class StudentProject:
    student_id: int
    position: int
    status: ProjectStatus
    rework_items: str | None = None


@dataclass(frozen=True)
class SessionNotes:
    session_id: int
    attendance: str  # an Attendance value
    recorded_by: int
    recorded_at: datetime
    progress: str | None = None
    improvements: str | None = None
    goals: str | None = None
    ready_for_defense: bool = False
    outcome: str | None = None  # defenses: validated | rework


@dataclass(frozen=True)
class Correction:
    """A recorded outcome changed after the fact, with the reason: the audit trail."""

    session_id: int
    field: str  # attendance | outcome | notes
    before: str | None
    after: str
    reason: str
    corrected_by: int
    corrected_at: datetime


@dataclass(frozen=True)
class Pause:
    """A student's pause or a mentor's leave; `ends_at` None while it lasts."""

    person_id: int
    starts_at: datetime
    ends_at: datetime | None = None
