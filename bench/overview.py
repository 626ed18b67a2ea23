"""The advisors' view at a school's size: 300 students, 30 mentors, 12 weeks of sessions and
check-ins (each student weekly), every student with an open alert.

Prints, on a fresh SQLite file (and on PostgreSQL with --pg URL, which it WIPES):
  * `/overview` as an advisor, median of 5, target < 0.5 s;
  * the 12-week trend and its PNG, < 3 s (and the process's first, which imports matplotlib);
  * a CSV export of the quarter's sessions, < 2 s.
Run from the repo root: `.venv/bin/python bench/overview.py [--students N] [--pg URL]`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the programme builders: tests/
from bot import exports
from bot.chart_files import weekly_chart
from bot.clock import ManualClock
from bot.domain import CheckinAnswer, NewSession, Role, SessionKind, SessionStatus
from storage.database import Database
from tests.big_programme import at_risk_school
from tests.conftest import load_programme, make_settings

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")


def fill(database: Database, students: int) -> None:
    """12 weeks: a session a week per student (held, one in five missed), a check-in each."""
    with database.uow() as uow:
        people = uow.people.with_role(Role.STUDENT)
        mentorships = {p.id: uow.mentorships.for_student(p.id) for p in people}
        for week in range(12):
            monday = NOW - timedelta(weeks=week, days=2)
            year, number, _ = monday.astimezone(PARIS).isocalendar()
            uow.checkins.create((year, number), [p.id for p in people], monday)
            for n, student in enumerate(people):
                m = mentorships[student.id]
                if m is None:
                    continue
                starts = monday + timedelta(hours=8 + n % 10, minutes=(n // 10) % 6 * 10)
                new = NewSession(
                    student.id,
                    m.mentor_id,
                    SessionKind.MENTORING,
                    starts,
                    starts + timedelta(minutes=9),
                )
                session = uow.sessions.add(new, starts - timedelta(days=3))
                done = SessionStatus.NO_SHOW if n % 5 == 0 else SessionStatus.DONE
                uow.sessions.set_status(session.id, done)
                if n % 3:
                    answer = CheckinAnswer("progress", 1 + n % 5, "none", "tests")
                    uow.checkins.answer(
                        student.id, (year, number), answer, monday + timedelta(hours=5)
                    )
        uow.commit()


def timed(work: object) -> float:
    started = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - started


def bench(database: Database, students: int, label: str) -> None:
    clock = ManualClock(NOW - timedelta(weeks=13))
    programme = load_programme(database, clock)
    at_risk_school(programme, students=students, mentors=max(1, students // 10))
    fill(database, students)
    clock.set(NOW)
    overview = statistics.median(
        timed(lambda: programme.ok("advisor", "/overview")) for _ in range(5)
    )
    settings = make_settings(str(database.engine.url))
    with database.uow() as uow:
        first = timed(lambda: weekly_chart(uow, NOW, settings))  # imports matplotlib too
        chart = timed(lambda: weekly_chart(uow, NOW, settings))
        period = exports.Period(date(2026, 9, 1), date(2026, 12, 6), PARIS)
        export = timed(lambda: exports.export(uow, "sessions", period))
    print(f"{label}: /overview {overview:.3f} s (target < 0.5 s)")
    print(f"{label}: 12-week chart {chart:.2f} s, the process's first {first:.2f} s (target < 3 s)")
    print(f"{label}: CSV of a quarter's sessions {export:.2f} s (target < 2 s)")


def on_each_database(run: Callable[[Database, int, str], None]) -> None:
    """`run(database, students, label)` on a fresh SQLite file, then on `--pg` if given."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--pg", default=None, help="a PostgreSQL URL: its database is WIPED")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        sqlite = Database(f"sqlite:///{Path(folder) / 'bench.db'}")
        sqlite.upgrade()
        run(sqlite, args.students, "SQLite")
        sqlite.dispose()
    if args.pg:
        pg = Database(args.pg)
        with pg.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        pg.upgrade()
        run(pg, args.students, "PostgreSQL")
        pg.dispose()


def main() -> None:
    on_each_database(bench)


if __name__ == "__main__":
    main()
