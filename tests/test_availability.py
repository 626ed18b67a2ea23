"""Weekly availability, time off and personal settings, through the core."""

from __future__ import annotations

from datetime import time

from bot.i18n import Renderer
from tests.conftest import Programme


def windows(programme: Programme, who: str) -> list[tuple[int, time, time, str]]:
    with programme.database.uow() as uow:
        rules = uow.availability.weekly(programme.people[who].id)
    return [(r.weekday, r.starts, r.ends, r.timezone) for r in rules]


def test_weekdays_in_english_and_french_are_stored_with_the_mentors_zone(
    programme: Programme,
) -> None:
    assert windows(programme, "mentor") == [
        (0, time(9), time(12), "Europe/Paris"),
        (2, time(14), time(18), "Europe/Paris"),
        (3, time(9), time(12), "Europe/Paris"),
    ]
    programme.ok("other.mentor", "/availability add Vendredi 08:00-10:00")
    programme.ok("other.mentor", "/availability add sat 8h00-9h30")
    assert windows(programme, "other.mentor") == [
        (4, time(8), time(10), "Africa/Dakar"),
        (5, time(8), time(9, 30), "Africa/Dakar"),
    ]


def test_overlapping_windows_are_refused_and_removal_needs_an_exact_match(
    programme: Programme,
) -> None:
    assert programme.refused("mentor", "/availability add mon 11:00-13:00") == (
        "availability.overlaps"
    )
    assert programme.refused("mentor", "/availability remove mon 09:00-11:00") == (
        "availability.no_such_window"
    )
    assert programme.ok("mentor", "/availability remove lundi 09:00-12:00").lines[0].key == (
        "availability.removed"
    )
    assert [w[0] for w in windows(programme, "mentor")] == [2, 3]
    assert programme.refused("lea", "/book 2026-11-30 09:00") == "booking.outside_availability"


def test_bad_availability_input_gets_a_usage_message(programme: Programme) -> None:
    assert programme.refused("mentor", "/availability add funday 09:00-10:00") == (
        "error.bad_weekday"
    )
    assert programme.refused("mentor", "/availability add mon 10:00-09:00") == (
        "error.bad_time_range"
    )
    assert programme.refused("mentor", "/availability add mon 25:00-26:00") == "error.bad_time"
    assert programme.refused("mentor", "/availability dance") == "usage.availability"
    assert programme.refused("mentor", "/availability off 2026-12-10 2026-12-01") == (
        "error.bad_date_range"
    )
    assert programme.refused("mentor", "/availability off 2026-11-01") == (
        "availability.off_in_past"
    )


def test_time_off_over_booked_sessions_warns_the_mentor(programme: Programme) -> None:
    programme.ok("lea", "/book 2026-11-26 09:00")
    reply = programme.ok("mentor", "/availability off 2026-11-26")
    assert [line.key for line in reply.lines] == [
        "availability.off_added",
        "availability.off_has_sessions",
    ]
    assert reply.lines[1].params["ids"] == "#1"


def test_listing_renders_in_the_mentors_language(programme: Programme) -> None:
    lines = Renderer("fr", "Europe/Paris").reply(programme.ok("mentor", "/availability"))
    assert lines[0] == "Vos disponibilités (heure d’Europe/Paris)\u202f:"
    assert lines[1] == "lundi de 09:00 à 12:00"
    # A reader elsewhere reads the hours on their own clock; the mentor's zone is the extra.
    assert Renderer("en", "UTC").reply(programme.ok("mentor", "/availability list"))[1] == (
        "on Monday from 08:00 to 11:00 your time (on Monday from 09:00 to 12:00, Europe/Paris time)"
    )


def test_timezone_and_language_are_personal_settings(programme: Programme) -> None:
    assert programme.refused("lea", "/mentorbot timezone Mars/Olympus") == "timezone.unknown"
    assert programme.refused("lea", "/mentorbot timezone ../../etc/passwd") == "timezone.unknown"
    programme.ok("lea", "/mentorbot timezone America/Montreal")
    # Now her typed times are Montreal times: 03:00 there is 09:00 in Paris.
    reply = programme.ok("lea", "/book 2026-11-26 03:00")
    assert reply.lines[0].key == "booking.booked"
    assert programme.refused("lea", "/mentorbot language de") == "language.unknown"
    assert programme.ok("lea", "/mentorbot language en").lines[0].key == "language.set.en"
    assert programme.core.person(programme.people["lea"].id).locale == "en"  # type: ignore[union-attr]


def test_help_lists_what_the_role_can_do(programme: Programme) -> None:
    student = [line.key for line in programme.ok("lea", "/mentorbot help").lines]
    mentor = [line.key for line in programme.ok("mentor", "/mentorbot").lines]
    assert "help.book" in student and "help.availability" not in student
    assert "help.availability" in mentor and "help.book" not in mentor
    assert programme.refused("lea", "/frobnicate") == "error.unknown_command"
