"""Who mentors whom, hosts' weekly availability, time off and pauses."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Time,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


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


class PauseRow(Base):
    """A period a person was paused (a student) or on leave (a mentor); open while it lasts."""

    __tablename__ = "pauses"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
