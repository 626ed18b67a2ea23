"""Contact rules, questions and the routing examples learnt from them."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import (
    ForeignKey,
    Index,
    String,
    Text,
    Time,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


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
