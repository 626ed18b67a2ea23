"""Paths of projects and each student's standing on them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


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
