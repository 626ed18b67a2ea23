"""Sessions, their rooms and calendar feeds, notes, corrections and feedback."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class SessionRow(Base):
    __tablename__ = "sessions"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="positive_length"),
        Index("ix_sessions_host_starts", "host_id", "starts_at"),
        Index("ix_sessions_student_starts", "student_id", "starts_at"),
        # The same start twice for one host is refused on every database; PostgreSQL also
        # refuses any overlap with exclusion constraints (see the initial migration). Partial,
        # WHERE status = 'booked' (migration 0001; the where is the migrations' DDL only, see
        # storage/models/alerts.py).
        Index("uq_sessions_live_host_start", "host_id", "starts_at", unique=True),
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
