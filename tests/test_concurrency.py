"""Many people racing for the same slot: exactly one wins, everyone else hears "taken"."""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from bot.clock import ManualClock
from bot.core import Core
from bot.domain import AlertStatus
from bot.services.roster import import_roster
from storage.database import Database
from tests.conftest import make_settings

RACERS = 24
HEADER = (
    "email,name,role,timezone,locale,slack_id,discord_id,mentor_email,"
    "session_minutes,sessions_per_week,path"
)


def racing_programme(database: Database, racers: int) -> tuple[Core, list[int], int]:
    rows = ["m@race.org,Mentor,mentor,Europe/Paris,fr,,,,,,"]
    rows += [
        f"s{n}@race.org,S{n},student,Europe/Paris,fr,,,m@race.org,30,1," for n in range(racers)
    ]
    clock = ManualClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    with database.uow() as uow:
        text = "\n".join([HEADER, *rows]) + "\n"
        report = import_roster(uow, text, "Europe/Paris", "fr", clock.now())
        assert report.applied
        uow.commit()
        people = uow.people.by_emails(report.created)
    core = Core(database.uow, clock, make_settings("sqlite://"))
    mentor = people["m@race.org"].id
    assert not core.run_line(mentor, "/availability add thu 09:00-12:00").is_error
    students = [people[f"s{n}@race.org"].id for n in range(racers)]
    return core, students, mentor


def race(core: Core, people: list[int], line: str) -> Counter[str]:
    return race_lines(core, [(person, line) for person in people])


def race_lines(core: Core, attempts: list[tuple[int, str]]) -> Counter[str]:
    """Start every attempt at the same instant and count the replies' keys."""
    barrier = threading.Barrier(len(attempts))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def book(person_id: int, line: str) -> None:
        barrier.wait()
        try:
            outcome = core.run_line(person_id, line).lines[0].key
        except Exception as error:  # the test fails below if anything escapes
            outcome = f"exception: {error!r}"
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=book, args=attempt) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_different_students_race_for_one_mentor_slot(database: Database) -> None:
    core, students, _ = racing_programme(database, RACERS)
    outcomes = race(core, students, "/book 2026-11-26 10:00")
    assert outcomes == Counter({"booking.booked": 1, "booking.slot_taken": RACERS - 1})


def test_overlapping_but_different_starts_race_too(database: Database) -> None:
    core, students, _ = racing_programme(database, RACERS)
    half = RACERS // 2
    first = race(core, students[:half], "/book 2026-11-26 10:00")
    assert first["booking.booked"] == 1
    later = [(s, "/book 2026-11-26 10:15") for s in students[half:-2]]
    earlier = [(s, "/book 2026-11-26 09:45") for s in students[-2:]]
    outcomes = race_lines(core, later + earlier)
    assert outcomes["booking.booked"] == 0
    assert outcomes["booking.slot_taken"] == RACERS - half


def test_one_student_double_clicking_books_once(database: Database) -> None:
    core, students, _ = racing_programme(database, 1)
    outcomes = race(core, students * 8, "/book 2026-11-26 10:00")
    assert outcomes["booking.booked"] == 1
    assert set(outcomes) <= {"booking.booked", "booking.slot_taken", "booking.quota_reached"}
    assert sum(outcomes.values()) == 8


def test_quota_holds_under_concurrency(database: Database) -> None:
    core, students, _ = racing_programme(database, 1)
    attempts = [(students[0], "/book 2026-11-26 09:00"), (students[0], "/book 2026-11-26 11:00")]
    outcomes = race_lines(core, attempts)
    assert outcomes == Counter({"booking.booked": 1, "booking.quota_reached": 1})


def _book_in_child(url: str, student: int, barrier: Any, results: Any) -> None:
    database = Database(url)
    clock = ManualClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    core = Core(database.uow, clock, make_settings(url))
    barrier.wait()
    try:
        results.put(core.run_line(student, "/book 2026-11-26 10:00").lines[0].key)
    except Exception as error:
        results.put(f"exception: {error!r}")
    database.dispose()


def test_separate_processes_race_on_the_database_alone(database: Database) -> None:
    """No in-process lock helps here: only BEGIN IMMEDIATE or the exclusion constraint can."""
    _, students, _ = racing_programme(database, 8)
    url = database.engine.url.render_as_string(hide_password=False)
    database.engine.dispose()
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(len(students)), context.Queue()
    children = [
        context.Process(target=_book_in_child, args=(url, s, barrier, results)) for s in students
    ]
    for child in children:
        child.start()
    outcomes = Counter(results.get(timeout=60) for _ in children)
    for child in children:
        child.join(timeout=60)
    assert outcomes == Counter({"booking.booked": 1, "booking.slot_taken": len(students) - 1})


def test_mentors_raising_the_same_alert_at_once_make_one_alert(database: Database) -> None:
    core, students, mentor = racing_programme(database, 1)
    with database.uow() as uow:
        student = uow.people.get(students[0])
    assert student is not None
    line = f"/escalate desengagement {student.email} Ne répond plus"
    outcomes = race_lines(core, [(mentor, line)] * 8)
    assert outcomes == Counter({"alert.raised": 1, "alert.added": 7})
    with database.uow() as uow:
        (alert,) = uow.alerts.listing(tuple(AlertStatus), student.id)
    assert alert.reports == 8
