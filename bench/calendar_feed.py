"""Calendar benchmark: serving a busy mentor's feed, and building one invite.

Prints, on a fresh SQLite file (and on PostgreSQL with --pg URL, which it WIPES):
  * `/calendar/<token>.ics` for a mentor with N sessions in the feed's window (default 400: a
    year of 8 a week): median and worst of 20 fetches, target < 1 s median;
  * one invite (.ics) for a booking, as the core builds it twice per booking: median of 200,
    target < 50 ms.
Run from the repo root: `.venv/bin/python bench/calendar_feed.py [--sessions N] [--pg URL]`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from bot.clock import ManualClock
from bot.core import Core
from bot.domain import NewSession, Role, SessionKind
from bot.services import calendars, invites
from bot.settings import Settings
from storage.database import Database

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TOKEN = "bench-token-" + "x" * 32


def load(db: Database, sessions: int) -> int:
    """A mentor with `sessions` sessions (a quarter of them past), among 40 students."""
    with db.uow() as uow:
        mentor = uow.people.add("mentor@bench.org", "Mentor", "Europe/Paris", "fr", [Role.MENTOR])
        students = [
            uow.people.add(f"s{n}@bench.org", f"S{n}", "America/Toronto", "en", [Role.STUDENT])
            for n in range(40)
        ]
        first = NOW - timedelta(days=80)
        for n in range(sessions):
            starts = first + timedelta(hours=7 * n)  # never overlapping
            uow.sessions.add(
                NewSession(
                    students[n % 40].id,
                    mentor.id,
                    SessionKind.MENTORING,
                    starts,
                    starts + timedelta(minutes=45),
                    join_url=f"https://meet.bench.org/m-{n}",
                ),
                at=NOW,
            )
        uow.calendars.set_feed_token(mentor.id, calendars.token_hash(TOKEN), NOW)
        uow.commit()
        return mentor.id


def timed(work: object, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()  # type: ignore[operator]
        times.append((time.perf_counter() - started) * 1000)
    return times


def bench(url: str, sessions: int) -> None:
    db = Database(url)
    if url.startswith("postgresql"):
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    db.upgrade()
    mentor_id = load(db, sessions)
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    core = Core(db.uow, ManualClock(NOW), settings)
    body = core.calendar_feed(TOKEN)
    assert body is not None and body.count(b"BEGIN:VEVENT") >= sessions * 0.9
    feed = timed(lambda: core.calendar_feed(TOKEN), 20)
    print(
        f"  feed of {body.count(b'BEGIN:VEVENT')} sessions ({len(body) // 1024} KiB): median "
        f"{statistics.median(feed):.0f} ms, worst {max(feed):.0f} ms (target < 1 s median)"
    )
    with db.uow() as uow:
        session = uow.calendars.hosted_upcoming(mentor_id, NOW)[0]
        reader = uow.people.get(mentor_id)
        assert reader is not None
        one = timed(lambda: invites.invite_file(uow, session, reader, NOW), 200)
    print(f"  one invite: median {statistics.median(one):.1f} ms (target < 50 ms)")
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=400)
    parser.add_argument("--pg", help="a PostgreSQL URL to use (its database is WIPED)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print("SQLite:")
        bench(f"sqlite:///{Path(folder) / 'bench.db'}", args.sessions)
    if args.pg:
        print("PostgreSQL:")
        bench(args.pg, args.sessions)


if __name__ == "__main__":
    sys.exit(main())
