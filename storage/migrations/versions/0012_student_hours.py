"""people: a host's earliest and latest hour for students far away (`/availability hours`)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, nullable (none set: every slot of the windows is offered, as before).
    op.add_column("people", sa.Column("students_earliest", sa.Time(), nullable=True))
    op.add_column("people", sa.Column("students_latest", sa.Time(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.drop_column("students_latest")
        batch.drop_column("students_earliest")
