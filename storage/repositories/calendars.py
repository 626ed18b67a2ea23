"""Calendars: hosts' own meeting rooms, people's feed tokens (hashed), and a feed's sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select

from bot.domain import Session, SessionStatus
from storage.models import CalendarFeedRow, MeetingRoomRow, SessionRow
from storage.repositories import Repository
from storage.repositories.sessions import session_from_row


class CalendarsRepository(Repository):
    def meeting_room(self, person_id: int) -> str | None:
        row = self.db.get(MeetingRoomRow, person_id)
        return row.url if row else None

    def set_meeting_room(self, person_id: int, url: str | None, at: datetime) -> None:
        """`None` removes the room: the programme's generated links apply again."""
        row = self.db.get(MeetingRoomRow, person_id)
        if url is None:
            if row is not None:
                self.db.delete(row)
        elif row is None:
            self.db.add(MeetingRoomRow(person_id=person_id, url=url, updated_at=at))
        else:
            row.url, row.updated_at = url, at
        self.db.flush()

    def relink(self, session_id: int, join_url: str | None) -> Session:
        """A new room for a booked session: its invite changes, so its SEQUENCE goes up."""
        row = self.db.get_one(SessionRow, session_id)
        row.join_url = join_url
        row.ical_sequence = (row.ical_sequence or 0) + 1
        self.db.flush()
        return session_from_row(row)

    def hosted_upcoming(self, host_id: int, now: datetime) -> list[Session]:
        rows = self.db.scalars(
            select(SessionRow)
            .where(
                SessionRow.host_id == host_id,
                SessionRow.status == SessionStatus.BOOKED.value,
                SessionRow.starts_at > now,
            )
            .order_by(SessionRow.starts_at)
        )
        return [session_from_row(r) for r in rows]

    def has_feed(self, person_id: int) -> bool:
        return self.db.get(CalendarFeedRow, person_id) is not None

    def set_feed_token(self, person_id: int, token_hash: str, at: datetime) -> None:
        """One feed per person: a new token replaces (revokes) the old one."""
        self.db.execute(delete(CalendarFeedRow).where(CalendarFeedRow.person_id == person_id))
        self.db.add(CalendarFeedRow(person_id=person_id, token_hash=token_hash, created_at=at))
        self.db.flush()

    def feed_owner(self, token_hash: str) -> int | None:
        return self.db.scalar(
            select(CalendarFeedRow.person_id).where(CalendarFeedRow.token_hash == token_hash)
        )

    def feed_sessions(self, person_id: int, since: datetime, limit: int = 500) -> list[Session]:
        """Every session of the person (any status) ending after `since`, by start."""
        rows = self.db.scalars(
            select(SessionRow)
            .where(
                or_(SessionRow.host_id == person_id, SessionRow.student_id == person_id),
                SessionRow.ends_at > since,
            )
            .order_by(SessionRow.starts_at)
            .limit(limit)
        )
        return [session_from_row(r) for r in rows]
