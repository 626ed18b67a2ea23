"""The schema, as SQLAlchemy 2 typed models. Migrations in storage/migrations follow it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (naive text) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware one")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


class PersonRow(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime]


class PersonRoleRow(Base):
    __tablename__ = "person_roles"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16), primary_key=True)


class IdentityRow(Base):
    """A person's account on a chat platform (Slack user id, Discord user id)."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))


class MentorshipRow(Base):
    __tablename__ = "mentorships"
    __table_args__ = (
        CheckConstraint("session_minutes > 0", name="positive_length"),
        CheckConstraint("sessions_per_week > 0", name="positive_frequency"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("people.id"), unique=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    path: Mapped[str] = mapped_column(String(200), default="")
    session_minutes: Mapped[int] = mapped_column(Integer)
    sessions_per_week: Mapped[int] = mapped_column(Integer)
    # The between-session contact rule for this student; "unset" falls back to the mentor's default.
    contact_rule: Mapped[str] = mapped_column(String(16), default="unset")
    contact_days: Mapped[str] = mapped_column(String(20), default="", server_default="")
    contact_starts: Mapped[time | None] = mapped_column(Time)
    contact_ends: Mapped[time | None] = mapped_column(Time)
    contact_timezone: Mapped[str | None] = mapped_column(String(64))


class WeeklyAvailabilityRow(Base):
    """Local weekday and wall times plus the zone they are in: DST never shifts them."""

    __tablename__ = "weekly_availability"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)
    timezone: Mapped[str] = mapped_column(String(64))


class TimeOffRow(Base):
    __tablename__ = "time_off"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]


class SessionRow(Base):
    __tablename__ = "sessions"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="positive_length"),
        Index("ix_sessions_host_starts", "host_id", "starts_at"),
        Index("ix_sessions_student_starts", "student_id", "starts_at"),
        # The same start twice for one host is refused on every database; PostgreSQL also
        # refuses any overlap with exclusion constraints (see the initial migration).
        Index(
            "uq_sessions_live_host_start",
            "host_id",
            "starts_at",
            unique=True,
            sqlite_where=text("status = 'booked'"),
            postgresql_where=text("status = 'booked'"),
        ),
        Index("uq_sessions_ical_uid", "ical_uid", unique=True),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    host_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    kind: Mapped[str] = mapped_column(String(16), default="mentoring")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="booked")
    cancelled_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    cancelled_at: Mapped[datetime | None]
    late_cancellation: Mapped[bool] = mapped_column(Boolean, default=False)
    move_count: Mapped[int] = mapped_column(Integer, default=0)
    project_position: Mapped[int | None] = mapped_column(Integer)  # the project a defense is for
    created_at: Mapped[datetime]
    # Calendars: the room to join (kept by a move), and the invite's identity and revision.
    join_url: Mapped[str | None] = mapped_column(String(500))
    ical_uid: Mapped[str | None] = mapped_column(String(100))  # unique: see __table_args__
    ical_sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class MeetingRoomRow(Base):
    """A host's own meeting room (`/mentorbot meeting URL`): the join link of their sessions."""

    __tablename__ = "meeting_rooms"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    url: Mapped[str] = mapped_column(String(500))
    updated_at: Mapped[datetime]


class CalendarFeedRow(Base):
    """A person's private calendar feed; only the hash of its URL's token is kept."""

    __tablename__ = "calendar_feeds"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]


_OUTBOX_PENDING = "sent_at IS NULL AND failed_at IS NULL"
_OUTBOX_CLAIMABLE = f"{_OUTBOX_PENDING} AND parked_at IS NULL"


class NotificationRow(Base):
    """The outbox: written in the same transaction as the change that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_recipient", "recipient_id", "id"),
        # Partial indexes (migration 0011, which dropped the (sent_at, next_attempt_at) one that
        # claims used to scan failed rows through): a claim reads only pending, unparked rows;
        # the per-recipient order only pending ones; the pruning only finished ones.
        Index(
            "ix_outbox_claimable",
            "id",
            sqlite_where=text(_OUTBOX_CLAIMABLE),
            postgresql_where=text(_OUTBOX_CLAIMABLE),
        ),
        Index(
            "ix_outbox_pending_queue",
            "recipient_id",
            "channel",
            "id",
            sqlite_where=text(_OUTBOX_PENDING),
            postgresql_where=text(_OUTBOX_PENDING),
        ),
        Index(
            "ix_outbox_sent",
            "sent_at",
            sqlite_where=text("sent_at IS NOT NULL"),
            postgresql_where=text("sent_at IS NOT NULL"),
        ),
        Index(
            "ix_outbox_failed",
            "failed_at",
            sqlite_where=text("failed_at IS NOT NULL"),
            postgresql_where=text("failed_at IS NOT NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    channel: Mapped[str | None] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    updates: Mapped[str | None] = mapped_column(String(200))  # key of the message it edits
    platform_ref: Mapped[str | None] = mapped_column(String(200))  # the sent message's id
    created_at: Mapped[datetime]
    # Who holds the lease: a worker marks sent only what it still holds (a lost lease fences).
    claim_token: Mapped[str | None] = mapped_column(String(32))
    # Nothing reaches the recipient: kept unsent until they link (then routed again).
    parked_at: Mapped[datetime | None]
    due_since: Mapped[datetime | None]  # first due (not_before or queued): the give-up clock


class ProcessedEventRow(Base):
    """Platform event ids already handled, kept longer than Slack's retry window."""

    __tablename__ = "processed_events"
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(index=True)


class LinkCodeRow(Base):
    """A one-time code that links a chat account to a roster person; only its hash is kept."""

    __tablename__ = "link_codes"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class ContactDefaultRow(Base):
    """A mentor's contact rule for every student without one of their own."""

    __tablename__ = "contact_defaults"
    mentor_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    rule: Mapped[str] = mapped_column(String(16))
    days: Mapped[str] = mapped_column(String(20), default="")
    starts: Mapped[time | None] = mapped_column(Time)
    ends: Mapped[time | None] = mapped_column(Time)
    timezone: Mapped[str | None] = mapped_column(String(64))


class QuestionRow(Base):
    """A student's question between sessions and what the bot decided: the contact audit trail."""

    __tablename__ = "questions"
    __table_args__ = (Index("ix_questions_student_created", "student_id", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    topic: Mapped[str] = mapped_column(String(20))
    decision: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime]
    deliver_at: Mapped[datetime | None]
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]


class RoutingExampleRow(Base):
    """A labelled example from a person's choice or correction, kept to grow the routing corpus."""

    __tablename__ = "routing_examples"
    __table_args__ = (Index("ix_routing_examples_created", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    label: Mapped[str] = mapped_column(String(16))  # advisor | mentor
    topic: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(16))  # student | mentor | advisor
    by_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]


class AlertRow(Base):
    __tablename__ = "alerts"
    __table_args__ = (
        # One open alert per student and category: a second raise adds to it.
        Index(
            "uq_alerts_open_student_category",
            "student_id",
            "category",
            unique=True,
            sqlite_where=text("status != 'resolved'"),
            postgresql_where=text("status != 'resolved'"),
        ),
        Index("ix_alerts_status_created", "status", "created_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    raised_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    category: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(Text)
    # The system's own summaries as catalogue keys and parameters, rendered for each reader.
    summary_texts: Mapped[list[Any] | None] = mapped_column(JSON)
    details: Mapped[str | None] = mapped_column(Text)  # private: shown to advisors on request
    status: Mapped[str] = mapped_column(String(16))
    reports: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    acknowledged_at: Mapped[datetime | None]
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    resolved_at: Mapped[datetime | None]
    resolution_note: Mapped[str | None] = mapped_column(Text)
    last_pinged_at: Mapped[datetime | None]


class AlertEventRow(Base):
    """Everything that happened to an alert, with who and when."""

    __tablename__ = "alert_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    action: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)


class CheckinRow(Base):
    """One weekly check-in per student and ISO week: the unique key makes sending it idempotent."""

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("student_id", "iso_year", "iso_week"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    iso_year: Mapped[int] = mapped_column(Integer)
    iso_week: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    progress: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[int | None] = mapped_column(Integer)
    blockers: Mapped[str | None] = mapped_column(Text)
    goal: Mapped[str | None] = mapped_column(Text)


class JobRunRow(Base):
    """A periodic job's run for one period (a day, a week): inserted once, whoever leads."""

    __tablename__ = "job_runs"
    job: Mapped[str] = mapped_column(String(32), primary_key=True)
    period: Mapped[str] = mapped_column(String(32), primary_key=True)
    ran_at: Mapped[datetime]


class ReminderLogRow(Base):
    """Which reminder of which session (at which start time) was sent or skipped."""

    __tablename__ = "reminder_log"
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    starts_at: Mapped[datetime] = mapped_column(primary_key=True)
    offset_minutes: Mapped[int] = mapped_column(Integer, primary_key=True)
    outcome: Mapped[str] = mapped_column(String(8))  # sent | skipped
    at: Mapped[datetime]


class PathProjectRow(Base):
    """A path (parcours) is an ordered list of projects, imported from a file."""

    __tablename__ = "path_projects"
    path: Mapped[str] = mapped_column(String(200), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))


class StudentProjectRow(Base):
    """Where one student stands on one project of their path."""

    __tablename__ = "student_projects"
    student_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    rework_items: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]


class SessionNotesRow(Base):
    """What the host recorded after a session: attendance and, for mentoring, the evaluation."""

    __tablename__ = "session_notes"
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    # present | late (arrived late) | absent; late_cancellation only on rows recorded before 0008
    attendance: Mapped[str] = mapped_column(String(20))
    progress: Mapped[str | None] = mapped_column(Text)
    improvements: Mapped[str | None] = mapped_column(Text)
    goals: Mapped[str | None] = mapped_column(Text)
    ready_for_defense: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome: Mapped[str | None] = mapped_column(String(12))  # defenses: validated | rework
    recorded_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    recorded_at: Mapped[datetime]


class FeedbackRow(Base):
    """The student's answer to the short survey after a held session (one per session)."""

    __tablename__ = "feedback"
    __table_args__ = (
        CheckConstraint("score IS NULL OR (score >= 1 AND score <= 5)", name="score_range"),
        Index("ix_feedback_student_asked", "student_id", "asked_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), unique=True
    )
    student_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    host_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    asked_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    score: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    flagged_at: Mapped[datetime | None]  # this answer made the low-score streak: advisors told


class ErasureRow(Base):
    """Who erased what and when: a person on request, or old free text by the retention job."""

    __tablename__ = "erasures"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # person | retention
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    erased_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    erased_by: Mapped[str] = mapped_column(String(64))  # advisor | command line | retention job
    erased_at: Mapped[datetime]
    counts: Mapped[dict[str, Any]] = mapped_column(JSON)  # what was erased, by kind of fact


class CorrectionRow(Base):
    """A recorded outcome changed after the fact: who, when, why, from what to what."""

    __tablename__ = "corrections"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    field: Mapped[str] = mapped_column(String(16))  # attendance | outcome | notes
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    corrected_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    corrected_at: Mapped[datetime]


class PauseRow(Base):
    """A period a person was paused (a student) or on leave (a mentor); open while it lasts."""

    __tablename__ = "pauses"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
