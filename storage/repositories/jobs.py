"""The scheduler's bookkeeping: job runs, the reminder log, and processed platform event ids."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import IntegrityError

from bot.domain import Session, SessionKind
from storage.bulk import one_of, rows_of
from storage.dialects import insert
from storage.models import JobRunRow, ProcessedEventRow, ReminderLogRow, SessionRow
from storage.repositories import Repository
from storage.repositories.sessions import session_from_row


class JobRunsRepository(Repository):
    def claim(self, job: str, period: str, at: datetime) -> bool:
        """True for the first run of this job in this period, on any replica."""
        statement = (
            insert(self.db, JobRunRow)
            .values(job=job, period=period, ran_at=at)
            .on_conflict_do_nothing()
            .returning(JobRunRow.job)
        )
        return self.db.scalar(statement) is not None


# The reminders read sessions as plain rows of the table's columns, not ORM objects: thousands
# a run, and the identity map and an object each were a tenth of the job's CPU.
_SESSIONS = SessionRow.__table__


class RemindersRepository(Repository):
    def starting_between(
        self, start: datetime, end: datetime, kind: SessionKind | None = None
    ) -> list[Session]:
        """Booked sessions starting in (start, end], of `kind` when given (the digest wants a
        week's defenses, not the week's ten thousand mentoring sessions)."""
        query = select(*_SESSIONS.c).where(
            SessionRow.status == "booked",
            SessionRow.starts_at > start,
            SessionRow.starts_at <= end,
        )
        if kind is not None:
            query = query.where(SessionRow.kind == kind.value)
        rows = self.db.execute(query.order_by(SessionRow.starts_at))
        return [session_from_row(r) for r in rows]

    def ended_between(self, start: datetime, end: datetime) -> list[Session]:
        rows = self.db.execute(
            select(*_SESSIONS.c).where(
                SessionRow.status == "booked",
                SessionRow.ends_at > start,
                SessionRow.ends_at <= end,
            )
        )
        return [session_from_row(r) for r in rows]

    def logged(self, sessions: Iterable[Session]) -> set[tuple[int, datetime, int]]:
        keys = [(s.id, s.starts_at) for s in sessions]
        if not keys:
            return set()
        rows = self.db.execute(
            select(
                ReminderLogRow.session_id, ReminderLogRow.starts_at, ReminderLogRow.offset_minutes
            ).where(one_of(self.db, ReminderLogRow.session_id, (k[0] for k in keys)))
        )
        return {(r[0], r[1], r[2]) for r in rows}

    def log_many(self, entries: Sequence[tuple[Session, int, str]], at: datetime) -> None:
        """`log` for many (session, offset, outcome) in one statement, the rows as one JSON
        value (storage.bulk): bound row by row, through the ORM's bulk insert and the
        UTCDateTime decorator, 1,500 of them were a tenth of the reminders' time."""
        if not entries:
            return
        columns = ["session_id", "starts_at", "offset_minutes", "outcome", "at"]
        rows = [[s.id, s.starts_at, offset, outcome, at] for s, offset, outcome in entries]
        source = rows_of(self.db, ReminderLogRow.__table__, columns, rows)
        statement = insert(self.db, ReminderLogRow).from_select(columns, source)
        self.db.execute(statement.on_conflict_do_nothing())

    def log(self, session: Session, offset: int, outcome: str, at: datetime) -> None:
        statement = (
            insert(self.db, ReminderLogRow)
            .values(
                session_id=session.id,
                starts_at=session.starts_at,
                offset_minutes=offset,
                outcome=outcome,
                at=at,
            )
            .on_conflict_do_nothing()
        )
        self.db.execute(statement)


_EVENTS = ProcessedEventRow.__table__
# Asked by every command that carries a request id, so built once, on the table's columns:
# Session.get built its load statement each time, which cost more than running it.
_SEEN = select(_EVENTS.c.event_id).where(
    _EVENTS.c.platform == bindparam("platform"), _EVENTS.c.event_id == bindparam("event_id")
)


class ProcessedEventsRepository(Repository):
    def first_time(self, platform: str, event_id: str, at: datetime) -> bool:
        """Record an event id; False if it was already there (a platform retry)."""
        if self.seen(platform, event_id):
            return False
        try:
            with self.db.begin_nested():
                self.db.add(ProcessedEventRow(platform=platform, event_id=event_id, received_at=at))
                self.db.flush()
        except IntegrityError:
            return False
        return True

    def remember_all(self, events: Sequence[tuple[str, str, datetime]]) -> None:
        """Record `(platform, event_id, received_at)` rows in one statement; ids already there
        stay as they are (the batch of handled reads written after them)."""
        if events:
            rows = [{"platform": p, "event_id": e, "received_at": at} for p, e, at in events]
            self.db.execute(insert(self.db, ProcessedEventRow).on_conflict_do_nothing(), rows)

    def seen(self, platform: str, event_id: str) -> bool:
        """Already recorded (asked by a unit of work that only reads)."""
        found = self.db.execute(_SEEN, {"platform": platform, "event_id": event_id})
        return found.first() is not None

    def forget_before(self, at: datetime) -> int:
        result = self.db.execute(
            delete(ProcessedEventRow).where(ProcessedEventRow.received_at < at)
        )
        return int(getattr(result, "rowcount", 0) or 0)
