"""Weekly check-ins: who is due one, the forms sent, and the answers."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Insert, Integer, Select, bindparam, exists, func, literal, not_, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Executable

from bot.domain import Checkin, CheckinAnswer, Notification
from storage.dialects import insert
from storage.models import CheckinRow, MentorshipRow, PersonRow, TimeOffRow
from storage.repositories import Repository, in_chunks
from storage.repositories.outbox import OutboxRepository

# What a Checkin holds, for the queries that read many as plain rows.
_CHECKIN = (
    CheckinRow.student_id,
    CheckinRow.iso_year,
    CheckinRow.iso_week,
    CheckinRow.sent_at,
    CheckinRow.answered_at,
    CheckinRow.progress,
    CheckinRow.confidence,
    CheckinRow.blockers,
    CheckinRow.goal,
)


def _checkin(row: Any) -> Checkin:
    """`row`: a CheckinRow, or a row of _CHECKIN."""
    return Checkin(
        row.student_id,
        row.iso_year,
        row.iso_week,
        row.sent_at,
        row.answered_at,
        row.progress,
        row.confidence,
        row.blockers,
        row.goal,
    )


def _candidates(now: datetime, per_row: bool = False) -> tuple[type[PersonRow], Select[int, str]]:
    """Active students whose mentor is active and not on time off: (the student alias, the
    query of their id and zone). `per_row`: for a page's few students, the mentor looked up
    per mentorship by the primary key, not joined (see _page_statements)."""
    student, mentor = aliased(PersonRow), aliased(PersonRow)
    on_leave = exists().where(
        TimeOffRow.person_id == MentorshipRow.mentor_id,
        TimeOffRow.starts_at <= now,
        TimeOffRow.ends_at > now,
    )
    query = select(student.id, student.timezone).join(
        MentorshipRow, MentorshipRow.student_id == student.id
    )
    if per_row:
        active = select(literal(1)).where(mentor.id == MentorshipRow.mentor_id)
        active = active.where(mentor.status == "active").offset(0)
        query = query.where(active.exists())
    else:
        query = query.join(mentor, mentor.id == MentorshipRow.mentor_id)
        query = query.where(mentor.status == "active")
    return student, query.where(student.status == "active", not_(on_leave))


# Students a page takes on PostgreSQL, for each one on SQLite (see page_size).
_PG_PAGE = 10
# A page's transaction on PostgreSQL: its commit does not wait for the WAL to reach the disk,
# and its INSERT is not compiled (JIT; a 5,000-row page may cost past its threshold). Planning
# is idempotent: a commit lost in a crash (the last few hundred ms) is planned again by the
# next tick, its prompts unsent since a delivery's claim, which commits with a flush, writes
# the WAL before it too.
_UNHURRIED = select(
    func.set_config("synchronous_commit", "off", True), func.set_config("jit", "off", True)
)
# A week's page statements: its last id, then its writes (on PostgreSQL one statement, the
# check-ins and their prompts; elsewhere the check-ins, then the prompts).
_Page = tuple[Select[int], Executable, Executable | None]


def _page_statements(
    db: OrmSession,
    week: tuple[int, int],
    zones: Collection[str],
    now: datetime,
    limit: int,
    prompt: Notification,
) -> _Page:
    """A week's page statements, built once for every page of it: only the bounds `after` and
    `last` change, bound at each execution."""
    # On PostgreSQL the mentor looked up per student (OFFSET 0 keeps it a lookup): joined,
    # it planned a page as every active person crossed with the page's students, merged on
    # the mentor's id (0.15 s a page, 250,000 rows discarded, after a 100,000-row import).
    # SQLite looks the mentor up by its key either way: its statement is left as it was.
    postgresql = db.get_bind().dialect.name == "postgresql"
    student, query = _candidates(now, per_row=postgresql)
    year, number = week
    after, last = bindparam("after", type_=Integer), bindparam("last", type_=Integer)
    until = bindparam("until", type_=Integer)  # the end of this writer's share of the ids
    # Looked up per candidate by the unique index (OFFSET 0 keeps PostgreSQL from making
    # it a join planned on the statistics, which say the table is as empty as it was
    # before the job: it then scanned every check-in created so far, for every page).
    done = (
        select(literal(1))
        .where(
            CheckinRow.student_id == student.id,
            CheckinRow.iso_year == year,
            CheckinRow.iso_week == number,
        )
        .offset(0)
    )
    waiting = query.where(student.timezone.in_(list(zones)), ~done.exists())
    # The bounds on both sides of the join: PostgreSQL carries equalities across a join,
    # not ranges, and would otherwise merge the whole mentorships index for every page.
    after_ = (student.id > after, MentorshipRow.student_id > after)
    upto = (student.id <= last, MentorshipRow.student_id <= last)
    # A page is the `limit` students (mentorships, one each) from the first one waiting: one
    # candidate found in id order, then a range of an index. A LIMIT over the candidates
    # themselves was planned on their estimated number, which both bounds square: once it
    # fell below the page, PostgreSQL joined every student left and sorted them, each page.
    share = (student.id <= until, MentorshipRow.student_id <= until)  # both sides, as above
    first = waiting.where(*after_, *share).with_only_columns(student.id)
    first = first.order_by(student.id).limit(1)
    held = aliased(MentorshipRow)
    window = (
        select(held.student_id)
        .where(held.student_id >= first.scalar_subquery(), held.student_id <= until)
        .order_by(held.student_id)
        .limit(limit)
        .subquery()
    )
    page = select(func.max(window.c.student_id))
    row = CheckinRow
    forms = (
        waiting.where(*after_, *upto)
        .with_only_columns(
            student.id,
            literal(year, row.iso_year.type),
            literal(number, row.iso_week.type),
            literal(now, row.sent_at.type),
        )
        .order_by(student.id)
    )
    columns = ["student_id", "iso_year", "iso_week", "sent_at"]
    key = ["student_id", "iso_year", "iso_week"]  # the one conflict possible: not the id too
    created = insert(db, row).from_select(columns, forms).on_conflict_do_nothing(index_elements=key)
    outbox = OutboxRepository(db)
    if postgresql:
        # One statement: the prompts of the check-ins it created, as they come back from
        # the INSERT, and the candidates joined once, not again to find those rows.
        forms_ = created.returning(row.student_id).cte("created")
        prompts = cast(Insert, outbox.to_each(prompt, select(forms_.c.student_id), now))
        return page, select(func.count()).select_from(forms_).add_cte(prompts.cte("prompts")), None
    # The forms this page just created (sent now; one that existed is older or unsent).
    new = select(row.student_id).where(
        row.iso_year == year,
        row.iso_week == number,
        row.sent_at == now,
        row.student_id > after,
        row.student_id <= last,
    )
    return page, created, outbox.to_each(prompt, new, now)


# `until` when a writer has all the ids (an INTEGER column's largest value).
_NO_END = 2**31 - 1


class CheckinsRepository(Repository):
    def __init__(self, db: OrmSession) -> None:
        super().__init__(db)
        # A week's page statements, built on its first page (see open_page).
        self._pages: dict[tuple[object, ...], tuple[Notification, _Page]] = {}

    def candidates(self, now: datetime) -> list[tuple[int, str]]:
        """(student id, zone) of active students whose mentor is active and not on time off."""
        _, query = _candidates(now)  # rows read by Core, all at once: no ORM row per student
        return [(row[0], row[1]) for row in self.db.connection().execute(query).all()]

    def zones(self, now: datetime) -> list[str]:
        """The time zones the candidates live in: a check-in week opens per zone."""
        student, query = _candidates(now)
        return list(self.db.scalars(query.with_only_columns(student.timezone).distinct()))

    def page_size(self, batch: int) -> int:
        """The students a page of open_page takes: `batch` on SQLite, where a command's write
        waits for the page's transaction; ten times that on PostgreSQL, where none does (the
        rows are new): a tenth of the commits and statements."""
        return batch * _PG_PAGE if self.db.get_bind().dialect.name == "postgresql" else batch

    def shares(self, parts: int) -> list[tuple[int, int]]:
        """The students' ids in `parts` ranges (after, until] of about equal width, for
        writers planning at once: from the mentorships' index, two rows read."""
        low, high = self.db.execute(
            select(func.min(MentorshipRow.student_id), func.max(MentorshipRow.student_id))
        ).one()
        if low is None:
            return []
        bounds = [low - 1 + (high - low + 1) * k // parts for k in range(parts + 1)]
        return [(bounds[k], bounds[k + 1]) for k in range(parts) if bounds[k] < bounds[k + 1]]

    def open_page(
        self,
        week: tuple[int, int],
        zones: Collection[str],
        now: datetime,
        after: int,
        limit: int,
        prompt: Notification,
        until: int | None = None,
    ) -> tuple[int, int] | None:
        """The next page of `week`'s check-ins: of the `limit` students from the first
        candidate above id `after` (and up to `until`, a writer's share), those living in
        `zones` (where that week has opened) with none for it yet. Each gets their check-in
        and `prompt` (its key's RECIPIENT their id) in the outbox: three statements whatever
        the page's size, nothing bound or built per student. Returns (how many were
        created, the page's last id), or None when nobody is left.

        Paged by id, so a job can commit between pages; a tick with nothing new finds no page
        and writes nothing."""
        key = (week, tuple(zones), now, limit)
        built = self._pages.get(key)
        if built is None or built[0] != prompt:  # a page built for another prompt: rebuilt
            built = self._pages[key] = (prompt, _page_statements(self.db, *key, prompt))
        page, forms, prompts = built[1]
        bound = _NO_END if until is None else until
        last: int | None = self.db.scalar(page, {"after": after, "until": bound})
        if last is None:
            return None
        # On the session's connection (the SELECT above flushed it): the ORM would take the
        # bounds for rows of a bulk INSERT.
        bounds, connection = {"after": after, "last": last}, self.db.connection()
        if prompts is None:  # PostgreSQL: one statement, which counts what it created
            connection.execute(_UNHURRIED)
            return int(connection.execute(forms, bounds).scalar_one()), last
        counted = forms.execution_options(preserve_rowcount=True)  # an INSERT's: kept
        created = int(getattr(connection.execute(counted, bounds), "rowcount", 0) or 0)
        connection.execute(prompts, bounds)
        return created, last

    def create(self, week: tuple[int, int], student_ids: Sequence[int], at: datetime) -> list[int]:
        """Create this week's check-ins; returns only the students that had none yet. One
        INSERT … SELECT: the week and time are bound once, not once per student."""
        if not student_ids:
            return []
        row = CheckinRow
        source = select(
            PersonRow.id,
            literal(week[0], row.iso_year.type),
            literal(week[1], row.iso_week.type),
            literal(at, row.sent_at.type),
        ).where(PersonRow.id.in_(list(student_ids)))
        columns = ["student_id", "iso_year", "iso_week", "sent_at"]
        statement = insert(self.db, row).from_select(columns, source)
        return list(self.db.scalars(statement.on_conflict_do_nothing().returning(row.student_id)))

    def answer(
        self, student_id: int, week: tuple[int, int], answer: CheckinAnswer, at: datetime
    ) -> None:
        row = self.db.scalar(
            select(CheckinRow).where(
                CheckinRow.student_id == student_id,
                CheckinRow.iso_year == week[0],
                CheckinRow.iso_week == week[1],
            )
        )
        if row is None:
            row = CheckinRow(student_id=student_id, iso_year=week[0], iso_week=week[1])
            self.db.add(row)
        row.answered_at = at
        row.progress, row.confidence = answer.progress, answer.confidence
        row.blockers, row.goal = answer.blockers, answer.goal
        self.db.flush()

    def recent_of(self, student_ids: Collection[int], limit: int = 6) -> dict[int, list[Checkin]]:
        """`recent` for many students in one query (the reminders' briefings)."""
        newest = (
            func.row_number()
            .over(
                partition_by=CheckinRow.student_id,
                order_by=(CheckinRow.iso_year.desc(), CheckinRow.iso_week.desc()),
            )
            .label("newest")
        )
        found: dict[int, list[Checkin]] = {}
        for chunk in in_chunks(student_ids):  # a chunk of students per statement
            ranked = select(*_CHECKIN, newest).where(CheckinRow.student_id.in_(chunk)).subquery()
            rows = self.db.execute(  # plain rows: an ORM object each was most of the reading
                select(*(ranked.c[column.key] for column in _CHECKIN))
                .where(ranked.c.newest <= limit)
                .order_by(ranked.c.student_id, ranked.c.newest)
            )
            for row in rows:
                found.setdefault(row.student_id, []).append(_checkin(row))
        return found

    def recent(self, student_id: int, limit: int = 6) -> list[Checkin]:
        rows = self.db.scalars(
            select(CheckinRow)
            .where(CheckinRow.student_id == student_id)
            .order_by(CheckinRow.iso_year.desc(), CheckinRow.iso_week.desc())
            .limit(limit)
        )
        return [_checkin(r) for r in rows]
