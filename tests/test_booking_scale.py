"""`/book` at the size of a real calendar: the free-slot search costs a fixed number of SQL
statements whatever the calendar holds, and the overlap query reads only its window through an
index (never a mentor's whole history). Counted with an engine listener, on SQLite and
PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, update

from storage.database import Database
from storage.models import SessionRow
from storage.unit_of_work import SqlUnitOfWork
from tests.conftest import Programme
from tests.statements import counting

# The whole command: the asker (2), the mentorship (1), then availability, time off and the
# horizon's sessions (3), whatever the calendar holds.
BOOK_STATEMENTS = 6


def add_sessions(database: Database, rows: list[dict[str, object]]) -> None:
    with database.engine.begin() as connection:
        connection.execute(insert(SessionRow), rows)


def session(student: int, host: int, starts_at: datetime, minutes: int) -> dict[str, object]:
    return {
        "student_id": student,
        "host_id": host,
        "kind": "mentoring",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(minutes=minutes),
        "status": "booked",
        "late_cancellation": False,
        "move_count": 0,
        "created_at": starts_at - timedelta(days=7),
    }


def crowd(programme: Programme, history: int) -> None:
    """Léa's quota used this week (with another mentor), every one of Camille's windows of the
    horizon filled by Zoé and Sam in 15-minute sessions, and `history` past sessions."""
    people = programme.people
    mentor, other = people["mentor"].id, people["other.mentor"].id
    lea, zoe, sam = people["lea"].id, people["zoe"].id, people["sam"].id
    rows = [session(lea, other, datetime(2026, 11, 27, 8, tzinfo=UTC), 45)]
    # Camille's windows (Paris, UTC+1 in winter): Mon/Thu 08:00-11:00 and Wed 13:00-17:00 UTC.
    windows = {0: (8, 11), 2: (13, 17), 3: (8, 11)}
    day = datetime(2026, 11, 23, tzinfo=UTC)
    for n in range(35):
        if (hours := windows.get((day + timedelta(days=n)).weekday())) is None:
            continue
        start = day + timedelta(days=n, hours=hours[0])
        for quarter in range((hours[1] - hours[0]) * 4):
            who = (zoe, sam)[quarter % 2]
            rows.append(session(who, mentor, start + timedelta(minutes=15 * quarter), 15))
    first = datetime(2020, 1, 6, 8, tzinfo=UTC)
    rows += [session(sam, mentor, first + timedelta(hours=6 * n), 30) for n in range(history)]
    add_sessions(programme.database, rows)


def test_book_with_no_argument_costs_a_fixed_number_of_statements(programme: Programme) -> None:
    with counting(programme.database.engine) as empty:
        assert programme.ok("lea", "/book").lines[0].key == "booking.pick_slot"
    crowd(programme, history=2_000)
    with counting(programme.database.engine) as crowded:
        reply = programme.run("lea", "/book")
    assert reply.lines[0].key == "booking.no_free_slot"
    assert len(crowded) <= BOOK_STATEMENTS, crowded
    assert len(crowded) == len(empty), (str(empty), str(crowded))


def test_a_crowded_calendar_still_offers_what_booking_accepts(programme: Programme) -> None:
    """The in-memory check and a booking agree: Léa (quota used this week) is offered only the
    one start left free in the crowd next week, and it books."""
    crowd(programme, history=0)
    freed = datetime(2026, 12, 3, 8, tzinfo=UTC), datetime(2026, 12, 3, 9, tzinfo=UTC)
    with programme.database.engine.begin() as connection:
        connection.execute(
            update(SessionRow)
            .where(SessionRow.starts_at >= freed[0], SessionRow.starts_at < freed[1])
            .values(status="cancelled")
        )
    reply = programme.ok("lea", "/book")
    assert [c.label.params["when"] for c in reply.choices] == [freed[0]]
    assert programme.ok("lea", "/book 2026-12-03 09:00").lines[0].key == "booking.booked"


def plan(
    database: Database, history: int, read: Callable[[SqlUnitOfWork], object], analyze: bool
) -> str:
    """The plan of the last statement `read` runs, after `history` past sessions of host 4
    (on PostgreSQL with the table's statistics, or before any, as a school's first days)."""
    rows = [
        session(1 + n % 3, 4, datetime(2020, 1, 6, 8, tzinfo=UTC) + timedelta(hours=6 * n), 30)
        for n in range(history)
    ]
    with database.uow() as uow:
        for email in ("s1", "s2", "s3", "mentor"):
            uow.people.add(f"{email}@plan.example", email, "UTC", "en", [], None)
        uow.commit()
    add_sessions(database, rows)
    with database.uow() as uow, counting(database.engine) as sent:
        read(uow)
    statement, parameters = sent.sent[-1]
    with database.engine.connect() as connection:
        raw = connection.connection.cursor()
        if database.engine.dialect.name == "postgresql":
            if analyze:
                raw.execute("ANALYZE sessions")
            raw.execute(f"EXPLAIN {statement}", parameters)
        else:
            raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
        return "\n".join(str(row[-1]) for row in raw.fetchall())


WINDOW = datetime(2026, 11, 26, 8, tzinfo=UTC), datetime(2026, 11, 26, 9, tzinfo=UTC)


def assert_indexed(database: Database, plan: str, searches: int) -> None:
    """Every read of sessions goes through an index bounded on both ends of starts_at."""
    if database.engine.dialect.name == "postgresql":
        bounds = [line for line in plan.splitlines() if "Index Cond" in line]
        assert "Seq Scan" not in plan and len(bounds) == searches, plan
        assert all("starts_at <" in line and "starts_at >" in line for line in bounds), plan
    else:
        found = [line for line in plan.splitlines() if "sessions" in line]
        assert len(found) == searches and all("USING INDEX" in line for line in found), plan
        assert all("starts_at>? AND starts_at<?" in line for line in found), plan


def test_the_overlap_query_reads_its_window_through_an_index(database: Database) -> None:
    read = lambda uow: uow.sessions.overlapping([4, 1], *WINDOW)  # noqa: E731
    found = plan(database, 10_000, read, analyze=True)
    assert_indexed(database, found, 2)


def test_the_calendar_query_reads_its_windows_through_indexes(database: Database) -> None:
    """The student's sessions (two indexes), the host's as host and as someone's student, even
    before PostgreSQL's statistics (a status filter had it read the host's whole history
    through the live sessions' exclusion index, bounded by the host alone)."""
    weeks = WINDOW[0] - timedelta(days=3), WINDOW[1] + timedelta(days=4)
    read = lambda uow: uow.sessions.calendar(4, 1, WINDOW, weeks)  # noqa: E731
    found = plan(database, 10_000, read, analyze=False)
    assert_indexed(database, found, 4)
