"""Sessions (booked, cancelled, moved, held) and the notes recorded after them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    DateTime,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    cast,
    func,
    not_,
    null,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.exc import IntegrityError

from bot.calendar import from_micros
from bot.domain import (
    Correction,
    NewSession,
    Session,
    SessionKind,
    SessionNotes,
    SessionStatus,
)
from bot.errors import SlotTaken
from bot.ports.sessions import Busy
from storage.bulk import one_of
from storage.dialects import epoch_micros
from storage.models import CorrectionRow, SessionNotesRow, SessionRow
from storage.models.base import as_utc
from storage.repositories import Repository, in_chunks

# Longer than any session the bot books (contracts and defenses last minutes, at most a few
# hours); `add` and `reschedule` refuse longer ones, which lets the overlap query bound its scan.
LONGEST_SESSION = timedelta(hours=24)


# What `overlapping` reads of a session: a calendar check needs nothing else. The two times
# are read as the driver gives them, past the UTCDateTime decorator, and made UTC by `as_utc`:
# the decorator's per-value call was the most of reading a horizon's hundreds of sessions.
CALENDAR_COLUMNS = (
    SessionRow.id,
    SessionRow.student_id,
    SessionRow.host_id,
    SessionRow.kind,
    type_coerce(SessionRow.starts_at, DateTime(timezone=True)),
    type_coerce(SessionRow.ends_at, DateTime(timezone=True)),
    SessionRow.status,
    SessionRow.late_cancellation,
)
# What `calendar` reads: a session's two times as microseconds since 1970 computed by the
# database, then the id, so that a horizon's hundreds of the host's sessions need no datetime
# made each, their first three columns the (start, end, id) of a Busy; then the status. The
# student's own sessions, a few, add who takes part, what, and whether cancelled late in one
# text column, "student host kind late" (`_micros_session` reads it): the host's leave it
# NULL, so each of theirs is five values, not eight (every value costs the database to send,
# the driver to make and a row to hold, hundreds of times over).
CALENDAR_MICROS = (
    epoch_micros(SessionRow.starts_at),
    epoch_micros(SessionRow.ends_at),
    SessionRow.id,
    SessionRow.status,
)
CALENDAR_WHO = (
    cast(SessionRow.student_id, String)
    + " "
    + cast(SessionRow.host_id, String)
    + " "
    + SessionRow.kind
    + " "
    + cast(cast(SessionRow.late_cancellation, Integer), String)
)
KINDS = {k.value: k for k in SessionKind}  # a lookup, cheaper than the enum's call per row
STATUSES = {s.value: s for s in SessionStatus}


def session_from_row(row: SessionRow | Any) -> Session:
    """The core's Session for a row, an ORM object or a plain row of the table's columns (the
    scheduler's reminder queries read sessions too)."""
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
        join_url=row.join_url,
        ical_uid=row.ical_uid or f"session-{row.id}@mentorbot",
        ical_sequence=row.ical_sequence or 0,
    )


def _window(starts_at: Any, earliest: Any, ends_at: Any) -> tuple[ColumnElement[bool], ...]:
    """Sessions touching the window (`earliest`: its start less LONGEST_SESSION, which bounds
    the index's range on both ends); values or bound parameters."""
    return (
        SessionRow.starts_at < ends_at,
        SessionRow.starts_at > earliest,
        SessionRow.ends_at > starts_at,
    )


def _touching(
    people: Any, starts_at: Any, earliest: Any, ends_at: Any
) -> Select[int, int, int, str, datetime, datetime, str, bool]:
    """A calendar's columns of the sessions of `people` touching the window, by start."""
    return (
        select(*CALENDAR_COLUMNS)
        .where(
            or_(SessionRow.host_id.in_(people), SessionRow.student_id.in_(people)),
            *_window(starts_at, earliest, ends_at),
        )
        .order_by(SessionRow.starts_at)
    )


def _calendar_query() -> CompoundSelect[Any]:
    """The calendar's one statement, built once, its people and windows bound at each
    execution: the student's sessions whole over their window (whole weeks, for the quota),
    then the host's others over the span only, with their times, id and status alone (the
    one column saying who takes part NULL: a horizon's hundreds of them), the times in
    microseconds."""
    host, student = bindparam("host", type_=Integer), bindparam("student", type_=Integer)
    window, weeks = (
        _window(*(bindparam(bound, type_=SessionRow.starts_at.type) for bound in bounds))
        for bounds in (BOUNDS, (f"weeks_{bound}" for bound in BOUNDS))
    )
    theirs = select(*CALENDAR_MICROS, CALENDAR_WHO).where(
        or_(SessionRow.host_id == student, SessionRow.student_id == student), *weeks
    )
    # The host's as host, then as someone's student, each through its own index (an OR of the
    # two had SQLite gather both indexes' row ids before reading any row); never the student's.
    # Their status is read, not filtered: PostgreSQL, before its statistics, took the live
    # sessions' exclusion index for `status = 'booked'` and read the host's whole history.
    neither = SessionRow.host_id != student, SessionRow.student_id != student
    # Their status NULL when live, as most are: a string less made per session.
    bare = *CALENDAR_MICROS[:3], func.nullif(SessionRow.status, SessionStatus.BOOKED.value), null()
    hosts, hosted = (
        select(*bare).where(who, *neither, *window)
        for who in (
            SessionRow.host_id == host,
            and_(SessionRow.student_id == host, SessionRow.host_id != host),
        )
    )
    return union_all(theirs, hosts, hosted)


BOUNDS = ("starts", "earliest", "ends")
_CALENDAR = _calendar_query()


def _calendar_session(row: Sequence[Any]) -> Session:
    # Plain rows of eight columns, not ORM objects: a calendar is read only.
    n, student, host, kind, starts, ends, state, late = row
    return Session(
        n,
        student,
        host,
        KINDS[kind],
        as_utc(starts),
        as_utc(ends),
        STATUSES[state],
        late_cancellation=late,
    )


def _start(session: Session) -> datetime:
    return session.starts_at


def _micros_session(row: Sequence[Any]) -> Session:
    # A row of CALENDAR_MICROS and CALENDAR_WHO: its times in microseconds since 1970 UTC.
    starts, ends, n, state, who = row
    student, host, kind, late = who.split(" ")
    return Session(
        n,
        int(student),
        int(host),
        KINDS[kind],
        from_micros(starts),
        from_micros(ends),
        STATUSES[state],
        late_cancellation=late != "0",
    )


def _bounded(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at - starts_at > LONGEST_SESSION:
        raise ValueError(f"a session longer than {LONGEST_SESSION} would escape `overlapping`")


class SessionsRepository(Repository):
    def get(self, session_id: int) -> Session | None:
        row = self.db.get(SessionRow, session_id)
        return session_from_row(row) if row else None

    def overlapping(
        self, person_ids: Sequence[int], starts_at: datetime, ends_at: datetime
    ) -> list[Session]:
        """Sessions of any status where one of these people takes part, touching the window,
        with what a calendar check reads (who, what, when, status); the invite's and the
        room's fields keep their defaults: `get` reads a whole session.

        Bounded on both ends of `starts_at` (no session is longer than LONGEST_SESSION), so the
        (host_id, starts_at) and (student_id, starts_at) indexes read only the window, not a
        person's whole history."""
        earliest = starts_at - LONGEST_SESSION
        rows = self.db.execute(_touching(person_ids, starts_at, earliest, ends_at))
        return [_calendar_session(row) for row in rows]

    def calendar(
        self,
        host_id: int,
        student_id: int,
        span: tuple[datetime, datetime],
        weeks: tuple[datetime, datetime],
    ) -> tuple[list[Session], list[Busy]]:
        """What a booking between them is checked against, in one statement: the student's
        sessions of any status touching `weeks` (the quota counts late cancellations), and the
        host's other live sessions touching `span` as bare (start, end, id) intervals in
        microseconds, by start; both windows bounded as `overlapping`'s. Most of a horizon is
        the host's: an object per session, then a datetime parsed per time, was most of
        reading it, and beyond the span none of them can collide."""
        self.db.flush()  # as the ORM's execute would: on its connection, past its row handling
        bounds: dict[str, object] = {"host": host_id, "student": student_id}
        for prefix, (starts_at, ends_at) in (("", span), ("weeks_", weeks)):
            bounds[f"{prefix}starts"], bounds[f"{prefix}ends"] = starts_at, ends_at
            bounds[f"{prefix}earliest"] = starts_at - LONGEST_SESSION
        # The driver's own rows: no column here has a result type to apply, and a horizon's
        # hundreds of rows need no Row made each.
        with self.db.connection().execute(_CALENDAR, bounds) as result:
            rows = result.cursor.fetchall()
        # Who takes part said: the student's own; not said: the host's, kept when live (their
        # status NULL; the student's always has one).
        mine = sorted((_micros_session(row) for row in rows if row[4] is not None), key=_start)
        busy = [row[:3] for row in rows if row[3] is None]
        busy.sort()
        return mine, busy

    def add(self, session: NewSession, at: datetime | None = None) -> Session:
        _bounded(session.starts_at, session.ends_at)
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
            join_url=session.join_url,
            ical_uid=f"{uuid.uuid4()}@mentorbot",
            ical_sequence=0,
        )
        self.db.add(row)
        self._flush_or_taken()
        return session_from_row(row)

    def cancel(self, session_id: int, by: int | None, at: datetime, late: bool) -> None:
        row = self.db.get_one(SessionRow, session_id)
        row.status = SessionStatus.CANCELLED.value
        row.cancelled_by = by
        row.cancelled_at = at
        row.late_cancellation = late
        row.ical_sequence = (row.ical_sequence or 0) + 1  # the invite's CANCEL supersedes it
        self.db.flush()

    def set_status(self, session_id: int, status: SessionStatus) -> None:
        self.db.get_one(SessionRow, session_id).status = status.value
        self.db.flush()

    def reschedule(self, session_id: int, starts_at: datetime, ends_at: datetime) -> None:
        _bounded(starts_at, ends_at)
        row = self.db.get_one(SessionRow, session_id)
        row.starts_at = starts_at
        row.ends_at = ends_at
        row.move_count += 1
        row.ical_sequence = (row.ical_sequence or 0) + 1
        self._flush_or_taken()

    def upcoming_with(self, student_id: int, host_id: int, now: datetime) -> list[Session]:
        """The live sessions still to come between this student and this host."""
        rows = self.db.scalars(
            select(SessionRow)
            .where(
                SessionRow.student_id == student_id,
                SessionRow.host_id == host_id,
                SessionRow.status == SessionStatus.BOOKED.value,
                SessionRow.starts_at > now,
            )
            .order_by(SessionRow.starts_at)
        )
        return [session_from_row(r) for r in rows]

    def last_counted_ends(
        self, student_ids: Iterable[int], starts_at: datetime, ends_at: datetime
    ) -> dict[int, datetime]:
        """By student, the latest end of their mentoring sessions touching the window that count
        as activity (all but those cancelled in time), one aggregate per chunk of students; the
        window is bounded on both ends of `starts_at`, as in `overlapping`."""
        early_cancel = and_(
            SessionRow.status == SessionStatus.CANCELLED.value,
            SessionRow.late_cancellation.is_(False),
        )
        found: dict[int, datetime] = {}
        for chunk in in_chunks(student_ids):
            rows = self.db.execute(
                select(SessionRow.student_id, func.max(SessionRow.ends_at))
                .where(
                    SessionRow.student_id.in_(chunk),
                    SessionRow.kind == SessionKind.MENTORING.value,
                    SessionRow.starts_at < ends_at,
                    SessionRow.starts_at > starts_at - LONGEST_SESSION,
                    SessionRow.ends_at > starts_at,
                    not_(early_cancel),
                )
                .group_by(SessionRow.student_id)
            )
            found.update({student: last for student, last in rows})
        return found

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
        return [session_from_row(r) for r in rows]

    def _flush_or_taken(self) -> None:
        try:
            with self.db.begin_nested():
                self.db.flush()
        except IntegrityError as exc:
            raise SlotTaken() from exc


def _notes(row: SessionNotesRow) -> SessionNotes:
    return SessionNotes(
        session_id=row.session_id,
        attendance=row.attendance,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
        progress=row.progress,
        improvements=row.improvements,
        goals=row.goals,
        ready_for_defense=row.ready_for_defense,
        outcome=row.outcome,
    )


class NotesRepository(Repository):
    def save(self, notes: SessionNotes) -> None:
        row = self.db.get(SessionNotesRow, notes.session_id)
        if row is None:
            row = SessionNotesRow(session_id=notes.session_id)
            self.db.add(row)
        row.attendance, row.recorded_by, row.recorded_at = (
            notes.attendance,
            notes.recorded_by,
            notes.recorded_at,
        )
        row.progress, row.improvements, row.goals = notes.progress, notes.improvements, notes.goals
        row.ready_for_defense, row.outcome = notes.ready_for_defense, notes.outcome
        self.db.flush()

    def get(self, session_id: int) -> SessionNotes | None:
        row = self.db.get(SessionNotesRow, session_id)
        return _notes(row) if row else None

    def latest(self, student_id: int, before: datetime | None = None) -> SessionNotes | None:
        """The student's most recent mentoring notes with content (before a time, if given)."""
        query = (
            select(SessionNotesRow)
            .join(SessionRow, SessionRow.id == SessionNotesRow.session_id)
            .where(
                SessionRow.student_id == student_id,
                SessionRow.kind == "mentoring",
                SessionNotesRow.progress.is_not(None),
            )
            .order_by(SessionRow.starts_at.desc())
            .limit(1)
        )
        if before is not None:
            query = query.where(SessionRow.starts_at < before)
        row = self.db.scalar(query)
        return _notes(row) if row else None

    def latest_of(self, student_ids: Sequence[int]) -> dict[int, SessionNotes]:
        """Each student's most recent mentoring notes with content, one query for all."""
        if not student_ids:
            return {}
        rank = (
            func.row_number()
            .over(partition_by=SessionRow.student_id, order_by=SessionRow.starts_at.desc())
            .label("rank")
        )
        ranked = (
            select(SessionNotesRow.session_id, SessionRow.student_id, rank)
            .join(SessionRow, SessionRow.id == SessionNotesRow.session_id)
            .where(
                one_of(self.db, SessionRow.student_id, student_ids),  # one value: storage.bulk
                SessionRow.kind == "mentoring",
                SessionNotesRow.progress.is_not(None),
            )
            .subquery()
        )
        rows = self.db.execute(
            select(SessionNotesRow, ranked.c.student_id)
            .join(ranked, ranked.c.session_id == SessionNotesRow.session_id)
            .where(ranked.c.rank == 1)
        )
        return {student_id: _notes(row) for row, student_id in rows}

    def attendance(self, student_id: int, limit: int = 8) -> list[str]:
        """The last attendances recorded for the student's mentoring sessions, newest first."""
        rows = self.db.scalars(
            select(SessionNotesRow.attendance)
            .join(SessionRow, SessionRow.id == SessionNotesRow.session_id)
            .where(SessionRow.student_id == student_id, SessionRow.kind == "mentoring")
            .order_by(SessionRow.starts_at.desc())
            .limit(limit)
        )
        return list(rows)

    def held_and_missed(self, since: datetime, until: datetime) -> dict[int, tuple[int, int]]:
        """Per host: sessions held and missed (no-show, late cancellation) in the period."""
        rows = self.db.execute(
            select(
                SessionRow.host_id, SessionRow.status, SessionRow.late_cancellation, func.count()
            )
            .where(SessionRow.starts_at >= since, SessionRow.starts_at < until)
            .group_by(SessionRow.host_id, SessionRow.status, SessionRow.late_cancellation)
        )
        counts: dict[int, tuple[int, int]] = {}
        for host, status, late, count in rows:
            held, missed = counts.get(host, (0, 0))
            if status == "done":
                held += count
            elif status == "no_show" or (status == "cancelled" and late):
                missed += count
            counts[host] = (held, missed)
        return counts


class CorrectionsRepository(Repository):
    """The audit trail of recorded outcomes changed after the fact."""

    def add(self, correction: Correction) -> None:
        self.db.add(
            CorrectionRow(
                session_id=correction.session_id,
                field=correction.field,
                before=correction.before,
                after=correction.after,
                reason=correction.reason,
                corrected_by=correction.corrected_by,
                corrected_at=correction.corrected_at,
            )
        )
        self.db.flush()

    def for_session(self, session_id: int) -> list[Correction]:
        rows = self.db.scalars(
            select(CorrectionRow)
            .where(CorrectionRow.session_id == session_id)
            .order_by(CorrectionRow.id)
        )
        return [
            Correction(
                r.session_id, r.field, r.before, r.after, r.reason, r.corrected_by, r.corrected_at
            )
            for r in rows
        ]
