"""post-session feedback and the record of erasures

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("host_id", sa.Integer(), nullable=False),
        sa.Column("asked_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("flagged_at", UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "score IS NULL OR (score >= 1 AND score <= 5)", name=op.f("ck_feedback_score_range")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_feedback_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["student_id"], ["people.id"], name=op.f("fk_feedback_student_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["host_id"], ["people.id"], name=op.f("fk_feedback_host_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
        sa.UniqueConstraint("session_id", name=op.f("uq_feedback_session_id")),
    )
    op.create_index("ix_feedback_student_asked", "feedback", ["student_id", "asked_at"])
    op.create_index(op.f("ix_feedback_host_id"), "feedback", ["host_id"])
    op.create_table(
        "erasures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("erased_by_id", sa.Integer(), nullable=True),
        sa.Column("erased_by", sa.String(length=64), nullable=False),
        sa.Column("erased_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_erasures_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["erased_by_id"], ["people.id"], name=op.f("fk_erasures_erased_by_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasures")),
    )
    op.create_index(op.f("ix_erasures_person_id"), "erasures", ["person_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_erasures_person_id"), table_name="erasures")
    op.drop_table("erasures")
    op.drop_index(op.f("ix_feedback_host_id"), table_name="feedback")
    op.drop_index("ix_feedback_student_asked", table_name="feedback")
    op.drop_table("feedback")
