"""Weeks that never count toward disengagement (issue 14): a mentor's time off or leave, a
student's pause, the school's holidays. Through the scheduled jobs, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain import AlertCategory, AlertStatus
from tests.conftest import Programme
from tests.test_scheduled import run

LEA, SAM, ZOE = "lea@school.example", "sam@school.example", "zoe@school.example"


def flagged(programme: Programme) -> set[str]:
    """The students with a live disengagement alert, by their short name."""
    names = {person.id: name for name, person in programme.people.items()}
    with programme.database.uow() as uow:
        alerts = uow.alerts.listing((AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED), None)
    return {names[a.student_id] for a in alerts if a.category == AlertCategory.DISENGAGEMENT}


def test_the_day_after_a_mentors_two_weeks_off_nobody_is_flagged(programme: Programme) -> None:
    for student, day in (("lea", "2026-11-26 09:00"), ("sam", "2026-11-26 04:00")):
        programme.ok(student, f"/book {day}")
    programme.ok("zoe", "/book 2026-11-26 11:00")
    programme.ok("mentor", "/availability off 2026-11-30 2026-12-11")
    programme.clock.set(programme.clock.now() + timedelta(days=19))  # Saturday 12 December
    assert run(programme, "disengagement") == 0
    assert flagged(programme) == set()
    # Two counted weeks later, with still nothing booked, it is disengagement again.
    programme.clock.advance(days=14)
    assert run(programme, "disengagement") == 3


def test_a_pause_does_not_count_and_its_missed_check_ins_neither(programme: Programme) -> None:
    programme.ok("lea", "/book 2026-11-26 09:00")
    programme.ok("sam", "/book 2026-11-26 04:00")
    programme.ok("zoe", "/book 2026-11-26 11:00")
    programme.clock.set(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))  # Monday, 10:00 in Toronto
    assert run(programme, "checkins") == 3
    programme.ok("advisor", f"/pause {LEA}")  # the day her check-in went out
    programme.clock.advance(days=7)
    assert run(programme, "checkins") == 2  # Léa is paused: not asked
    programme.clock.advance(days=7)
    programme.ok("advisor", f"/resume {LEA}")
    assert run(programme, "checkins") == 3
    programme.clock.advance(days=1)
    run(programme, "disengagement", disengagement_missed_checkins=1)
    # Sam and Zoé: no session for two weeks, check-ins missed. Léa: her one unanswered
    # check-in is of a paused week, and her weeks without a session were paused weeks.
    assert flagged(programme) == {"sam", "zoe"}


def test_school_holidays_send_no_check_in_and_never_count(programme: Programme) -> None:
    holidays = {"school_holidays": "2026-12-19:2027-01-03"}
    programme.ok("lea", "/book 2026-12-17 09:00")
    programme.clock.set(datetime(2026, 12, 21, 15, 0, tzinfo=UTC))  # Monday, 10:00 in Toronto
    assert run(programme, "checkins", **holidays) == 0
    assert run(programme, "checkins") == 3  # without the holidays, this Monday asks everyone
    programme.clock.set(programme.clock.now() + timedelta(days=15))  # Tuesday 5 January
    run(programme, "disengagement", **holidays)
    assert "lea" not in flagged(programme)  # her last session was just before the holidays
