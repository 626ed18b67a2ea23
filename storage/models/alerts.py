"""Alerts and their history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class AlertRow(Base):
    __tablename__ = "alerts"
    __table_args__ = (
        # One open alert per student and category: a second raise adds to it. Partial, WHERE
        # status != 'resolved' (migration 0003): a dialect's `*_where` here would import that
        # dialect at every start (the PostgreSQL one on SQLite), for DDL only migrations emit.
        Index("uq_alerts_open_student_category", "student_id", "category", unique=True),
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
