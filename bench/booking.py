"""Booking benchmark: `/book` through the core, on SQLite and (when given a URL) PostgreSQL.

Measures, per database:
  * latency: median and p99 of N sequential `/book` commands, each a fresh student and slot;
  * contention: T threads (one student each, same mentor) book the SAME slot at once behind a
    barrier; counts winners, "slot taken" replies and anything else, and the wall time until
    every thread has its answer.
Targets (printed as PASS/FAIL, never asserted): exactly 1 winner, all answered within 2 s.

Run from the repo root: `.venv/bin/python bench/booking.py [--pg URL]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import text

from bot.clock import ManualClock
from bot.core import Core
from bot.services.roster import import_roster
from bot.settings import Settings
from storage.database import Database

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday 23 November 2026, 10:00 in Paris
ZONE = "Europe/Paris"
HEADER = (
    "email,name,role,timezone,locale,slack_id,discord_id,mentor_email,"
    "session_minutes,sessions_per_week,path"
)
MENTOR = "mentor@bench.example"
TARGET_SECONDS = 2.0
PG_ROOM = (
    "SELECT current_setting('max_connections')::int,"
    " current_setting('superuser_reserved_connections')::int,"
    " (SELECT count(*) FROM pg_stat_activity)"
)


def slot_lines(count: int) -> list[str]:
    """Distinct 30-minute starts, 08:00-19:30 Paris, from the day after START."""
    first = START.date() + timedelta(days=1)
    return [
        f"{first + timedelta(days=i // 24)} {8 + (i % 24) // 2:02d}:{30 * (i % 2):02d}"
        for i in range(count)
    ]


def load_people(db: Database, students: int) -> tuple[int, list[int]]:
    rows = [f"{MENTOR},Mentor,mentor,{ZONE},fr,,,,,,"]
    rows += [
        f"s{i}@bench.example,S {i},student,{ZONE},fr,,,{MENTOR},30,1,Web" for i in range(students)
    ]
    with db.uow() as uow:
        report = import_roster(uow, "\n".join([HEADER, *rows]) + "\n", ZONE, "fr", START)
        if not report.applied:
            raise SystemExit(f"roster rejected: {report.rejected[:3]}")
        uow.commit()
        people = uow.people.by_emails([MENTOR] + [f"s{i}@bench.example" for i in range(students)])
    return people[MENTOR].id, [people[f"s{i}@bench.example"].id for i in range(students)]


def make_core(db: Database, url: str) -> Core:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=url,
        timezone=ZONE,
        locale="fr",
        book_min_notice_hours=0,
        booking_horizon_days=365,
    )
    return Core(db.uow, ManualClock(START), settings)


def open_availability(core: Core, mentor_id: int) -> None:
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        reply = core.run_line(mentor_id, f"/availability add {day} 08:00-20:00")
        if reply.is_error:
            raise SystemExit(f"availability {day}: {reply.lines[0].key}")


def latency(core: Core, students: list[int], slots: list[str]) -> None:
    samples, failures = [], Counter[str]()
    for student, slot in zip(students, slots, strict=True):
        began = time.perf_counter()
        reply = core.run_line(student, f"/book {slot}")
        samples.append((time.perf_counter() - began) * 1000)
        if reply.lines[0].key != "booking.booked":
            failures[reply.lines[0].key] += 1
    p99 = statistics.quantiles(samples, n=100, method="inclusive")[98]
    med = statistics.median(samples)
    print(f"  latency: {len(samples)} bookings, median {med:.2f} ms, p99 {p99:.2f} ms")
    if failures:
        print(f"  latency: NOT booked: {dict(failures)}")


def contention(core: Core, db: Database, mentor_id: int, students: list[int], slot: str) -> None:
    barrier = threading.Barrier(len(students) + 1)
    outcomes: Counter[str] = Counter()
    finished: list[float] = []
    lock = threading.Lock()

    def attempt(student: int) -> None:
        barrier.wait()
        try:
            outcome = core.run_line(student, f"/book {slot}").lines[0].key
        except Exception as exc:
            outcome = f"exception {type(exc).__name__}: {str(exc).splitlines()[0][:80]}"
        with lock:
            outcomes[outcome] += 1
            finished.append(time.perf_counter())

    threads = [threading.Thread(target=attempt, args=(s,)) for s in students]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = max(finished) - began
    report_contention(outcomes, wall, len(students), stored_at(db, mentor_id, slot))


def stored_at(db: Database, mentor_id: int, slot: str) -> int:
    local = datetime.fromisoformat(slot).replace(tzinfo=ZoneInfo(ZONE))
    with db.uow() as uow:
        sessions = uow.sessions.overlapping([mentor_id], local, local + timedelta(minutes=30))
    return sum(1 for s in sessions if s.is_live)


def report_contention(outcomes: Counter[str], wall: float, threads: int, stored: int) -> None:
    winners = outcomes.pop("booking.booked", 0)
    taken = outcomes.pop("booking.slot_taken", 0)
    others = sum(outcomes.values())
    answered = winners + taken + others
    print(f"  contention: {threads} threads, one slot: {answered} answered")
    detail = f" {dict(outcomes)}" if outcomes else ""
    print(f"    winners {winners}, slot taken {taken}, other {others}{detail}")
    print(f"    live sessions stored in the slot: {stored}")
    print(f"    wall time until all answered: {wall * 1000:.1f} ms")
    one = winners == 1 and stored == 1
    fast = answered == threads and wall <= TARGET_SECONDS
    print(f"    exactly 1 winner: {'PASS' if one else 'FAIL'}")
    print(f"    all answered within {TARGET_SECONDS:.0f} s: {'PASS' if fast else 'FAIL'}")


def run(label: str, url: str, pool_size: int, bookings: int, threads: int) -> None:
    print(f"{label} (pool_size {pool_size}, up to {2 * pool_size} connections)")
    db = Database(url, pool_size=pool_size)
    try:
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        db.upgrade()
        mentor_id, students = load_people(db, bookings + threads)
        core = make_core(db, url)
        open_availability(core, mentor_id)
        slots = slot_lines(bookings + 1)
        latency(core, students[:bookings], slots[:bookings])
        contention(core, db, mentor_id, students[bookings:], slots[bookings])
    finally:
        db.dispose()


def pg_pool_size(url: str, threads: int) -> int:
    """Stay under max_connections: the pool may open pool_size + max_overflow (= 2x)."""
    db = Database(url, pool_size=1)
    try:
        with db.engine.connect() as connection:
            limit, reserved, used = connection.execute(text(PG_ROOM)).one()
    finally:
        db.dispose()
    room = int(limit) - int(reserved) - int(used) - 5
    if room < threads + 1:
        print(f"PostgreSQL: max_connections {limit}, ~{room} free: threads queue for connections")
    return max(1, min(threads + 10, room) // 2)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--pg",
        default=os.environ.get("TEST_DATABASE_URL", ""),
        metavar="URL",
        help="PostgreSQL URL (default: $TEST_DATABASE_URL). WARNING: the bench WIPES that "
        "database (DROP SCHEMA public CASCADE) before migrating it: never point it at a "
        "database in use, e.g. by a concurrent test run.",
    )
    parser.add_argument("--bookings", type=int, default=300, help="sequential bookings")
    parser.add_argument("--threads", type=int, default=100, help="threads racing for one slot")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'bench.db'}"
        run("SQLite", url, max(110, args.threads + 10), args.bookings, args.threads)
    if not args.pg:
        print("PostgreSQL: skipped (no --pg URL and TEST_DATABASE_URL is not set)")
        return
    run("PostgreSQL", args.pg, pg_pool_size(args.pg, args.threads), args.bookings, args.threads)


if __name__ == "__main__":
    main()
