"""outbox: partial indexes so that finished rows cost nothing to a claim, and pruning

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

PENDING = "sent_at IS NULL AND failed_at IS NULL"
CLAIMABLE = f"{PENDING} AND parked_at IS NULL"
FAILED = "failed_at IS NOT NULL"


def _partial(name: str, columns: list[str], where: str) -> None:
    op.create_index(
        name,
        "outbox",
        columns,
        sqlite_where=sa.text(where),
        postgresql_where=sa.text(where),
    )


def upgrade() -> None:
    # What a claim reads: pending, unparked rows in id order (sent, failed, discarded and
    # parked rows are not in it, however many there are).
    _partial("ix_outbox_claimable", ["id"], CLAIMABLE)
    # Per-recipient order: the pending rows of the claimed rows' recipients.
    _partial("ix_outbox_pending_queue", ["recipient_id", "channel", "id"], PENDING)
    # The daily pruning: rows sent, rows given up. The (sent_at, next_attempt_at) index goes:
    # claims used it to walk every failed and parked row.
    _partial("ix_outbox_sent", ["sent_at"], "sent_at IS NOT NULL")
    _partial("ix_outbox_failed", ["failed_at"], FAILED)
    op.drop_index("ix_outbox_due", table_name="outbox")


def downgrade() -> None:
    op.create_index("ix_outbox_due", "outbox", ["sent_at", "next_attempt_at"])
    for name in ("ix_outbox_failed", "ix_outbox_sent", "ix_outbox_pending_queue"):
        op.drop_index(name, table_name="outbox")
    op.drop_index("ix_outbox_claimable", table_name="outbox")
