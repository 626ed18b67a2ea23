"""Repositories by aggregate: every query the core needs, returning plain domain values.

One module per aggregate (people, mentorships, sessions, conversations, alerts, checkins, paths,
outbox, jobs), mirrored by the protocols in bot/ports/; SqlUnitOfWork wires them on one session.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession

from bot.domain import NewSession, Session, SessionKind, SessionStatus
from bot.errors import SlotTaken
from storage.models import ProcessedEventRow, SessionRow


class Repository:
    """Works inside the unit of work's session: it flushes, the unit of work commits."""

    def __init__(self, db: OrmSession) -> None:
        self.db = db


def _session(row: SessionRow) -> Session:
    return Session(
        id=row.id,
        student_id=row.student_id,
        host_id=row.host_id,
        kind=SessionKind(row.kind),
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        status=SessionStatus(row.status),
        cancelled_by=row.cancelled_by,
        cancelled_at=row.cancelled_at,
        late_cancellation=row.late_cancellation,
        move_count=row.move_count,
        project_position=row.project_position,
    )


class SessionsRepository(Repository):
    def get(self, session_id: int) -> Session | None:
        row = self.db.get(SessionRow, session_id)
        return _session(row) if row else None

    def overlapping(
        self, person_ids: Sequence[int], starts_at: datetime, ends_at: datetime
    ) -> list[Session]:
        """Sessions of any status where one of these people takes part, touching the window."""
        rows = self.db.scalars(
            select(SessionRow)
            .where(
                or_(SessionRow.host_id.in_(person_ids), SessionRow.student_id.in_(person_ids)),
                SessionRow.starts_at < ends_at,
                SessionRow.ends_at > starts_at,
            )
            .order_by(SessionRow.starts_at)
        )
        return [_session(r) for r in rows]

    def add(self, session: NewSession, at: datetime | None = None) -> Session:
        row = SessionRow(
            student_id=session.student_id,
            host_id=session.host_id,
            kind=session.kind.value,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            status=SessionStatus.BOOKED.value,
            late_cancellation=False,
            move_count=0,
            project_position=session.project_position,
            created_at=at or datetime.now(UTC),
        )
        self.db.add(row)
        self._flush_or_taken()
        return _session(row)

    def cancel(self, session_id: int, by: int, at: datetime, late: bool) -> None:
        row = self.db.get_one(SessionRow, session_id)
        row.status = SessionStatus.CANCELLED.value
        row.cancelled_by = by
        row.cancelled_at = at
        row.late_cancellation = late
        self.db.flush()

    def set_status(self, session_id: int, status: SessionStatus) -> None:
        self.db.get_one(SessionRow, session_id).status = status.value
        self.db.flush()

    def reschedule(self, session_id: int, starts_at: datetime, ends_at: datetime) -> None:
        row = self.db.get_one(SessionRow, session_id)
        row.starts_at = starts_at
        row.ends_at = ends_at
        row.move_count += 1
        self._flush_or_taken()

    def upcoming(self, person_id: int, now: datetime, limit: int = 20) -> list[Session]:
        rows = self.db.scalars(
            select(SessionRow)
            .where(
                or_(SessionRow.host_id == person_id, SessionRow.student_id == person_id),
                SessionRow.status == SessionStatus.BOOKED.value,
                SessionRow.ends_at > now,
            )
            .order_by(SessionRow.starts_at)
            .limit(limit)
        )
        return [_session(r) for r in rows]

    def _flush_or_taken(self) -> None:
        try:
            with self.db.begin_nested():
                self.db.flush()
        except IntegrityError as exc:
            raise SlotTaken() from exc


class ProcessedEventsRepository(Repository):
    def first_time(self, platform: str, event_id: str, at: datetime) -> bool:
        """Record an event id; False if it was already there (a platform retry)."""
        seen = self.db.get(ProcessedEventRow, (platform, event_id))
        if seen is not None:
            return False
        try:
            with self.db.begin_nested():
                self.db.add(ProcessedEventRow(platform=platform, event_id=event_id, received_at=at))
                self.db.flush()
        except IntegrityError:
            return False
        return True

    def forget_before(self, at: datetime) -> int:
        result = self.db.execute(
            delete(ProcessedEventRow).where(ProcessedEventRow.received_at < at)
        )
        return int(getattr(result, "rowcount", 0) or 0)
