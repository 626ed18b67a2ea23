"""Weekly check-ins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Integer,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


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
