"""Check-in benchmark: plan and queue a week's check-ins for 10,000 students, then deliver.

Prints, on a fresh SQLite file (and on PostgreSQL with --pg URL, which it WIPES):
  * the time and peak memory (RSS) to plan and queue one week's check-ins, targets < 3 s and
    < 200 MB;
  * delivery throughput of the outbox worker against a local fake platform over HTTP with no
    rate limit, target >= 300 messages/s.
Run from the repo root: `.venv/bin/python bench/checkins.py [--students N] [--pg URL]`.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from bot import scheduled
from bot.clock import ManualClock
from bot.domain import Role
from bot.outbox import OutboxWorker
from bot.settings import Settings
from storage.database import Database

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the fake platform lives in tests/
from tests.fake_platform import FakePlatform, HttpDeliverer

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Monday, after 09:00 in every zone below
ZONES = ["Europe/Paris", "America/Toronto", "Africa/Dakar", "Asia/Tokyo", "America/Sao_Paulo"]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_students(db: Database, count: int) -> None:
    with db.uow() as uow:
        mentor = uow.people.add("mentor@bench.org", "Mentor", "Europe/Paris", "fr", [Role.MENTOR])
        for n in range(count):
            student = uow.people.add(
                f"s{n}@bench.org", f"S{n}", ZONES[n % len(ZONES)], "fr", [Role.STUDENT], NOW
            )
            uow.mentorships.save(student.id, mentor.id, "", 30, 1)
        uow.commit()


def plan(db: Database, settings: Settings) -> int:
    before = rss_mb()
    started = time.perf_counter()
    with db.uow() as uow:
        queued = scheduled.checkins(uow, NOW, settings)
    seconds = time.perf_counter() - started
    peak = rss_mb()
    print(f"  plan and queue: {queued} check-ins in {seconds:.2f} s (target < 3 s)")
    print(f"  peak RSS: {peak:.0f} MB, {peak - before:+.0f} MB during the job (target < 200 MB)")
    return queued


def deliver(db: Database, queued: int) -> None:
    with FakePlatform() as platform:
        worker = OutboxWorker(db.uow, ManualClock(NOW), HttpDeliverer(platform.url))
        started = time.perf_counter()
        sent = worker.drain()
        seconds = time.perf_counter() - started
    rate = sent / seconds
    print(f"  delivery: {sent}/{queued} sent in {seconds:.2f} s, {rate:.0f} messages/s")
    print(f"  delivery: {'PASS' if rate >= 300 else 'FAIL'} (target >= 300 messages/s)")


def run(label: str, url: str, students: int) -> None:
    print(f"{label}, {students} students")
    db = Database(url)
    try:
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        db.upgrade()
        load_students(db, students)
        settings = Settings(_env_file=None, database_url=url, checkin_schedule="mon 09:00")  # type: ignore[call-arg]
        queued = plan(db, settings)
        deliver(db, queued)
    finally:
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--students", type=int, default=10_000)
    parser.add_argument(
        "--pg",
        default=os.environ.get("TEST_DATABASE_URL", ""),
        metavar="URL",
        help="PostgreSQL URL (default $TEST_DATABASE_URL). WARNING: the database is wiped.",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        run("SQLite", f"sqlite:///{Path(directory) / 'bench.db'}", args.students)
    if args.pg:
        run("PostgreSQL", args.pg, args.students)
    else:
        print("PostgreSQL: skipped (no --pg URL and TEST_DATABASE_URL is not set)")


if __name__ == "__main__":
    main()
