"""The outbox and the ids of requests already handled."""

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


class NotificationRow(Base):
    """The outbox: written in the same transaction as the change that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_recipient", "recipient_id", "id"),
        # Partial indexes (migration 0011, which dropped the (sent_at, next_attempt_at) one that
        # claims used to scan failed rows through): a claim reads only pending, unparked rows;
        # the per-recipient order only pending ones; the pruning only finished ones. Their
        # WHERE is the migration's DDL only (see storage/models/alerts.py).
        # WHERE sent_at IS NULL AND failed_at IS NULL AND parked_at IS NULL
        Index("ix_outbox_claimable", "id"),
        # WHERE sent_at IS NULL AND failed_at IS NULL
        Index("ix_outbox_pending_queue", "recipient_id", "channel", "id"),
        Index("ix_outbox_sent", "sent_at"),  # WHERE sent_at IS NOT NULL
        Index("ix_outbox_failed", "failed_at"),  # WHERE failed_at IS NOT NULL
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
