"""People, their roles, their chat accounts, link codes and erasures."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    String,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class PersonRow(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime]
    # A host's hours for students far away (`/availability hours`), on each student's clock.
    students_earliest: Mapped[time | None] = mapped_column(Time)
    students_latest: Mapped[time | None] = mapped_column(Time)


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


class LinkCodeRow(Base):
    """A one-time code that links a chat account to a roster person; only its hash is kept."""

    __tablename__ = "link_codes"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


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
