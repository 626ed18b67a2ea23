"""The steps `bench/scale.py` measures, each run in a process of its own so that its peak RSS is
its own: `python bench/scale_steps.py STEP URL SIZE` prints one JSON line
{"seconds", "statements", "rss_mb", "note"}. Everything goes through the product's own code
paths (the roster service, the scheduled jobs, the core, the outbox repository)."""

from __future__ import annotations

import json
import resource
import statistics
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the statement counter: tests/

from bot import scheduled
from bot.clock import ManualClock
from bot.core import Core
from bot.domain import Notification
from bot.services.roster import import_roster
from bot.settings import Settings
from storage.database import Database
from storage.models import Base, CheckinRow, NotificationRow, SessionRow
from tests.statements import counting

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Monday, after 09:00 in every zone below
ZONES = ("Europe/Paris", "America/Toronto", "Africa/Dakar", "Asia/Tokyo", "America/Sao_Paulo")
HEADER = (
    "email,name,role,timezone,locale,slack_id,discord_id,mentor_email,"
    "session_minutes,sessions_per_week,path"
)
STUDENTS_PER_MENTOR = 100


def settings(url: str, **extra: object) -> Settings:
    values: dict[str, object] = {"database_url": url, "checkin_schedule": "mon 09:00"}
    values.update(extra)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def wipe(db: Database) -> None:
    with db.engine.begin() as connection:
        if db.engine.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        else:
            Base.metadata.drop_all(connection)
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    db.upgrade()


def roster_text(students: int) -> str:
    mentors = max(1, students // STUDENTS_PER_MENTOR)
    rows = [f"m{n}@scale.example,M {n},mentor,Europe/Paris,fr,,,,,," for n in range(mentors)]
    rows += [
        f"s{n}@scale.example,S {n},student,{ZONES[n % len(ZONES)]},fr,U{n:08d},,"
        f"m{n % mentors}@scale.example,30,1,"
        for n in range(students)
    ]
    return "\n".join([HEADER, *rows]) + "\n"


def measured(db: Database, work: Callable[[], str]) -> dict[str, object]:
    with counting(db.engine) as sent:
        started = time.perf_counter()
        note = work()
        seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "statements": len(sent), "rss_mb": rss, "note": note}


def roster(db: Database, size: int) -> dict[str, object]:
    wipe(db)
    csv = roster_text(size)

    def work() -> str:
        with db.uow() as uow:
            report = import_roster(uow, csv, "UTC", "fr", NOW - timedelta(days=60))
            assert report.applied, report.rejected[:3]
            uow.commit()
        return f"{len(report.created)} created"

    return measured(db, work)


def checkins(db: Database, size: int, url: str) -> dict[str, object]:
    def work() -> str:
        with db.uow() as uow:
            queued = scheduled.checkins(uow, NOW, settings(url))
        return f"{queued} queued"

    return measured(db, work)


def checkins_again(db: Database, size: int, url: str) -> dict[str, object]:
    with counting(db.engine) as sent:
        result = checkins(db, size, url)
    result["note"] = f"{result['note']}, {len(sent.writes())} writes"
    return result


def history(db: Database, size: int) -> None:
    """A session this week for every student (a mentor's 100 spread over 7 days, 100 minutes
    apart), three weeks of unanswered check-ins."""
    with db.engine.connect() as connection:
        pairs = connection.execute(text("SELECT student_id, mentor_id FROM mentorships")).all()
    sessions, forms = [], []
    slots: dict[int, int] = {}
    for student, mentor in pairs:
        slot = slots.get(mentor, 0)
        slots[mentor] = slot + 1
        starts = NOW + timedelta(minutes=30 + 100 * slot)
        sessions.append(_session(student, mentor, starts))
        forms += [_checkin(student, week) for week in (45, 46, 47)]
    with db.engine.begin() as connection:
        connection.execute(insert(SessionRow), sessions)
        connection.execute(insert(CheckinRow), forms)


def _session(student: int, mentor: int, starts: datetime) -> dict[str, object]:
    return {
        "student_id": student,
        "host_id": mentor,
        "kind": "mentoring",
        "starts_at": starts,
        "ends_at": starts + timedelta(minutes=12),
        "status": "booked",
        "late_cancellation": False,
        "move_count": 0,
        "created_at": NOW - timedelta(days=3),
    }


def _checkin(student: int, week: int) -> dict[str, object]:
    sent = datetime.fromisocalendar(2026, week, 1).replace(hour=9, tzinfo=UTC)
    return {"student_id": student, "iso_year": 2026, "iso_week": week, "sent_at": sent}


def run_job(db: Database, url: str, name: str, at: datetime) -> str:
    with db.uow() as uow:
        done = scheduled.JOBS[name](uow, at, settings(url))
    return f"{done} queued or raised"


def job(name: str) -> Callable[[Database, int, str], dict[str, object]]:
    """The job in a process that has run nothing before: its imports and statements cold."""

    def step(db: Database, size: int, url: str) -> dict[str, object]:
        return measured(db, lambda: run_job(db, url, name, NOW))

    return step


def warm_job(name: str) -> Callable[[Database, int, str], dict[str, object]]:
    """The job as a serving process runs it from its second time on: the same process ran it
    the week before, untimed (its imports made, its statements compiled), then the week after."""

    def step(db: Database, size: int, url: str) -> dict[str, object]:
        run_job(db, url, name, NOW + timedelta(weeks=1))
        return measured(db, lambda: run_job(db, url, name, NOW + timedelta(weeks=2)))

    return step


def prepare_jobs(db: Database, size: int) -> dict[str, object]:
    roster(db, size)
    history(db, size)
    return {"seconds": 0, "statements": 0, "rss_mb": 0, "note": "prepared"}


def book(db: Database, size: int, url: str) -> dict[str, object]:
    """`/book` (no argument) on a crowded calendar vs `/book DATE TIME` refused at the overlap
    check (the last rule, so every rule runs), median of 45 each, the two interleaved."""
    core = Core(db.uow, ManualClock(NOW), settings(url, timezone="Europe/Paris"))
    rows = ["bm@scale.example,Busy Mentor,mentor,Europe/Paris,fr,,,,,,"]
    rows += [
        f"b{n}@scale.example,B {n},student,Europe/Paris,fr,,,bm@scale.example,30,1,"
        for n in range(13)
    ]
    with db.uow() as uow:
        report = import_roster(uow, "\n".join([HEADER, *rows]) + "\n", "UTC", "fr", NOW)
        assert report.applied, report.rejected[:3]
        uow.commit()
        people = uow.people.by_emails(email.split(",")[0] for email in rows)
    mentor, student = people["bm@scale.example"], people["b0@scale.example"]
    crowd_ids = [people[f"b{n}@scale.example"].id for n in range(1, 13)]
    for day in ("mon", "tue", "wed", "thu", "fri"):
        core.run_line(mentor.id, f"/availability add {day} 09:00-12:00")
    past = datetime(2020, 1, 6, 8, tzinfo=UTC)
    crowd = [
        _session(crowd_ids[n % 12], mentor.id, past + timedelta(hours=4 * n)) for n in range(size)
    ]
    day = NOW.replace(hour=0)
    for n in range(40):
        start = day + timedelta(days=n, hours=8)
        crowd += [
            _session(crowd_ids[m], mentor.id, start + timedelta(minutes=15 * m)) for m in range(12)
        ]
    with db.engine.begin() as connection:
        connection.execute(insert(SessionRow), crowd)
    free = core.run_line(student.id, "/book")
    taken = "/book 2026-11-30 10:00"
    assert core.run_line(student.id, taken).lines[0].key == "booking.slot_taken"

    def timed(line: str) -> float:
        started = time.perf_counter()
        core.run_line(student.id, line)
        return time.perf_counter() - started

    with counting(db.engine) as sent:
        core.run_line(student.id, "/book")
    # The two commands' samples interleaved, so that a burst of load elsewhere on the machine
    # falls on both alike, and 45 of each: a 15-sample median of a 2 ms command moved 2x.
    pairs = [(timed("/book"), timed(taken)) for _ in range(45)]
    no_argument = statistics.median(free for free, _ in pairs)
    dated = statistics.median(refused for _, refused in pairs)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ratio = no_argument / dated
    note = f"{free.lines[0].key}; /book DATE TIME {dated * 1000:.1f} ms; {ratio:.2f}x"
    return {"seconds": no_argument, "statements": len(sent), "rss_mb": rss, "note": note}


def claim(db: Database, size: int, url: str) -> dict[str, object]:
    """claim_due with `size` finished rows (a third sent, failed, parked) and 50 due."""
    rows = [
        {
            "idempotency_key": f"old:{n}",
            "recipient_id": None,
            "channel": f"c{n}",
            "payload": {"key": "digest.none", "params": {}, "choices": []},
            "attempts": 1,
            "next_attempt_at": NOW - timedelta(days=2),
            "created_at": NOW - timedelta(days=2),
            **{
                state: NOW - timedelta(days=1) if n % 3 == k else None
                for k, state in enumerate(("sent_at", "failed_at", "parked_at"))
            },
        }
        for n in range(size)
    ]
    with db.engine.begin() as connection:
        for start in range(0, size, 10_000):
            connection.execute(insert(NotificationRow), rows[start : start + 10_000])
    with db.uow() as uow:
        uow.outbox.add_many(
            [Notification(f"new:{n}", None, "digest.none", channel="advisors") for n in range(50)],
            NOW,
        )
        uow.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("ANALYZE outbox"))
    samples = []
    for _ in range(20):
        with db.uow() as uow:
            started = time.perf_counter()
            got = uow.outbox.claim_due(NOW, 50, 30, owner="bench")
            samples.append(time.perf_counter() - started)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "seconds": statistics.median(samples),
        "statements": 0,
        "rss_mb": rss,
        "note": f"{len(got)} claimed of 50 due",
    }


def wait_behind_job(
    db: Database, size: int, url: str, name: str = "checkins", days: int = 7
) -> dict[str, object]:
    """The longest a one-row write command waits while next week's check-ins go out (or, as
    `wait:disengagement`, while that job's first run raises its alerts after prepare-jobs)."""
    later = NOW + timedelta(days=days)
    waits: list[float] = []
    done = threading.Event()

    def job_thread() -> None:
        with db.uow() as uow:
            scheduled.JOBS[name](uow, later, settings(url))
        done.set()

    worker = threading.Thread(target=job_thread)
    started = time.perf_counter()
    worker.start()
    n = 0
    while not done.is_set():
        began = time.perf_counter()
        with db.uow() as uow:
            uow.outbox.add(Notification(f"probe:{n}", None, "digest.none", channel="c"), later)
            uow.commit()
        waits.append(time.perf_counter() - began)
        n += 1
        time.sleep(0.01)
    worker.join()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    p95 = statistics.quantiles(waits, n=20, method="inclusive")[-1] if len(waits) > 1 else waits[0]
    took = time.perf_counter() - started
    return {
        "seconds": max(waits),
        "statements": 0,
        "rss_mb": rss,
        "note": f"{len(waits)} writes during a {took:.1f} s job, p95 {p95 * 1000:.0f} ms",
    }


STEPS: dict[str, Callable[..., dict[str, object]]] = {
    "roster": lambda db, size, url: roster(db, size),
    "checkins": checkins,
    "checkins-again": checkins_again,
    "prepare-jobs": lambda db, size, url: prepare_jobs(db, size),
    "book": book,
    "claim": claim,
    "wait": wait_behind_job,
    "wait:disengagement": lambda db, size, url: wait_behind_job(db, size, url, "disengagement", 0),
    **{
        f"job:{name}": job(name)
        for name in ("reminders", "disengagement", "digest", "alerts", "pruned")
    },
    "job:digest-warm": warm_job("digest"),
}


if __name__ == "__main__":
    step, url, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
    database = Database(url)
    try:
        print(json.dumps(STEPS[step](database, size, url)))
    finally:
        database.dispose()
