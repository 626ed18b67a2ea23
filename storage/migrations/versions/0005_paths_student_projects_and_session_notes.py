"""paths, student projects and session notes

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "path_projects",
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("path", "position", name=op.f("pk_path_projects")),
    )
    op.create_table(
        "student_projects",
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("rework_items", sa.Text(), nullable=True),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["people.id"],
            name=op.f("fk_student_projects_student_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("student_id", "position", name=op.f("pk_student_projects")),
    )
    op.create_table(
        "session_notes",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("attendance", sa.String(length=12), nullable=False),
        sa.Column("progress", sa.Text(), nullable=True),
        sa.Column("improvements", sa.Text(), nullable=True),
        sa.Column("goals", sa.Text(), nullable=True),
        sa.Column("ready_for_defense", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["people.id"], name=op.f("fk_session_notes_recorded_by_people")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_session_notes_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_session_notes")),
    )
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("project_position", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_column("project_position")

    op.drop_table("session_notes")
    op.drop_table("student_projects")
    op.drop_table("path_projects")
