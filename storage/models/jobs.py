"""Scheduled jobs' runs and the reminders already sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


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
