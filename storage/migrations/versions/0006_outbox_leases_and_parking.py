"""outbox: lease tokens, parked messages, the give-up clock

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("claim_token", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("parked_at", UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("due_since", UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE outbox SET due_since = next_attempt_at WHERE sent_at IS NULL")


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("due_since")
        batch.drop_column("parked_at")
        batch.drop_column("claim_token")
