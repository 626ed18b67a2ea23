"""audited corrections, pause periods, attendance words, alert summaries as catalogue keys

`session_notes.attendance` used to say `late` for a student's late cancellation; it now means a
late arrival, so the old rows become `late_cancellation` (what they recorded).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("corrected_by", sa.Integer(), nullable=False),
        sa.Column("corrected_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_corrections_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["corrected_by"], ["people.id"], name=op.f("fk_corrections_corrected_by_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corrections")),
    )
    op.create_index(op.f("ix_corrections_session_id"), "corrections", ["session_id"])
    op.create_table(
        "pauses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_pauses_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pauses")),
    )
    op.create_index(op.f("ix_pauses_person_id"), "pauses", ["person_id"])
    with op.batch_alter_table("session_notes") as batch:
        batch.alter_column(
            "attendance", existing_type=sa.String(length=12), type_=sa.String(length=20)
        )
    op.execute(
        "UPDATE session_notes SET attendance = 'late_cancellation' WHERE attendance = 'late'"
    )
    with op.batch_alter_table("alerts") as batch:
        batch.add_column(sa.Column("summary_texts", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.drop_column("summary_texts")
    op.execute(
        "UPDATE session_notes SET attendance = 'late' WHERE attendance = 'late_cancellation'"
    )
    with op.batch_alter_table("session_notes") as batch:
        batch.alter_column(
            "attendance", existing_type=sa.String(length=20), type_=sa.String(length=12)
        )
    op.drop_index(op.f("ix_pauses_person_id"), table_name="pauses")
    op.drop_table("pauses")
    op.drop_index(op.f("ix_corrections_session_id"), table_name="corrections")
    op.drop_table("corrections")
