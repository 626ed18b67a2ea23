"""join links, invite identity and revision on sessions; meeting rooms; calendar feeds

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch copy on SQLite: the sessions' partial indexes stay as they are).
    op.add_column("sessions", sa.Column("join_url", sa.String(length=500), nullable=True))
    op.add_column("sessions", sa.Column("ical_uid", sa.String(length=100), nullable=True))
    op.add_column(
        "sessions",
        sa.Column("ical_sequence", sa.Integer(), nullable=False, server_default="0"),
    )
    # Sessions booked before invites existed get a stable UID of their own.
    op.execute("UPDATE sessions SET ical_uid = 'session-' || id || '@mentorbot'")
    op.create_index("uq_sessions_ical_uid", "sessions", ["ical_uid"], unique=True)
    op.create_table(
        "meeting_rooms",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_meeting_rooms_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_meeting_rooms")),
    )
    op.create_table(
        "calendar_feeds",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_calendar_feeds_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feeds_token_hash")),
    )


def downgrade() -> None:
    op.drop_table("calendar_feeds")
    op.drop_table("meeting_rooms")
    op.drop_index("uq_sessions_ical_uid", table_name="sessions")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("ical_sequence")
        batch.drop_column("ical_uid")
        batch.drop_column("join_url")
