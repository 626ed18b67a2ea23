"""The advisors' lists at a school's size: 300 students, 30 mentors, 12 weeks of sessions and
check-ins, every student with an open alert (bench/overview.py's programme).

Prints, on a fresh SQLite file (and on PostgreSQL with --pg URL, which it WIPES), for each
list page: the median of 5 runs and the SQL statements it sent, beside the targets (< 0.3 s, a
fixed number of statements whatever the size: compare `--students 30` and `--students 300`).
Run from the repo root: `.venv/bin/python bench/advisors_lists.py [--students N] [--pg URL]`.
"""

from __future__ import annotations

import statistics
import sys
from datetime import timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the programme builders: tests/
from overview import NOW, fill, on_each_database, timed  # bench/overview.py: the same programme

from bot.clock import ManualClock
from storage.database import Database
from tests.big_programme import at_risk_school
from tests.conftest import load_programme
from tests.statements import counting

PAGES = (
    "/alerts",
    "/alerts all page 10",
    "/alerts disengagement mentor m3@big.example",
    "/students",
    "/students at-risk page 5",
    "/students mentor m3@big.example",
)


def bench(database: Database, students: int, label: str) -> None:
    clock = ManualClock(NOW - timedelta(weeks=13))
    programme = load_programme(database, clock)
    at_risk_school(programme, students=students, mentors=max(1, students // 10))
    fill(database, students)
    clock.set(NOW)
    for line in PAGES:
        with counting(database.engine) as seen:
            programme.ok("advisor", line)
        run = partial(programme.ok, "advisor", line)
        median = statistics.median(timed(run) for _ in range(5))
        print(f"{label}: {line:<45} {median:.3f} s, {len(seen)} statements (target < 0.3 s)")


def main() -> None:
    on_each_database(bench)


if __name__ == "__main__":
    main()
