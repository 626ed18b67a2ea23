"""`/availability hours`: a mentor's earliest and latest hour for students far away, read on each
student's own clock by `/book`, `/book DATE`, `/move` and an explicit booking (issue 14).

Camille (Paris) is available Monday and Thursday 09:00-12:00 and Wednesday 14:00-18:00: for Sam
in Toronto (six hours behind in winter) that is 03:00-06:00 and 08:00-12:00.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.clock import ManualClock
from bot.i18n import Renderer
from bot.replies import Reply
from storage.database import Database
from tests.conftest import Programme, load_programme


def offered(reply: Reply) -> list[datetime]:
    return [c.label.params["when"] for c in reply.choices if "when" in c.label.params]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_a_far_student_is_offered_only_slots_within_the_hours_on_their_clock(
    programme: Programme,
) -> None:
    # Thursday in Toronto: the Paris morning is 03:00-06:00 there, six 30-minute slots.
    assert len(offered(programme.ok("sam", "/book 2026-11-26"))) == 6
    assert programme.ok("mentor", "/availability hours 08:00-21:00").lines[0].key == "hours.set"
    assert programme.ok("sam", "/book 2026-11-26").lines[0].key == "week.no_slot_that_day"
    # The next slots skip every Monday and Thursday morning (night in Toronto).
    slots = offered(programme.ok("sam", "/book"))
    assert slots and all(s.astimezone(UTC).weekday() == 2 for s in slots), slots
    # Léa, in Paris, keeps every window: 09:00 in Paris is within 08:00-21:00 on her clock.
    assert len(offered(programme.ok("lea", "/book 2026-11-26"))) == 4


def test_an_explicit_time_outside_the_hours_is_refused_with_the_mentors_hours(
    programme: Programme,
) -> None:
    programme.ok("mentor", "/availability heures 08:00-10:15")
    reply = programme.run("sam", "/book 2026-11-26 03:00")  # Paris 09:00: in the window
    assert reply.is_error and reply.lines[0].key == "hours.outside"
    assert Renderer("en", "America/Toronto").reply(reply) == [
        "Your mentor sees you between 08:00 and 10:15, your time (America/Toronto): pick a slot "
        "within those hours, or type /book for the free slots."
    ]
    # The end counts too: 10:00-10:30 ends after 10:15; 09:45-10:15 fits.
    assert programme.refused("sam", "/book 2026-11-25 10:00") == "hours.outside"
    booked = programme.ok("sam", "/book 2026-11-25 09:45")
    assert booked.lines[0].params["when"] == utc(2026, 11, 25, 14, 45)
    # A week later, the Wednesday slots from 08:00 until the last one ending by 10:15.
    assert offered(programme.ok("sam", "/book 2026-12-02")) == [
        utc(2026, 12, 2, 13) + timedelta(minutes=30 * n) for n in range(4)
    ]


def test_a_mentor_moving_a_far_students_session_is_told_their_hours_for_them(
    programme: Programme,
) -> None:
    programme.ok("sam", "/book 2026-11-25 08:00")  # Paris 14:00
    programme.ok("mentor", "/availability hours 07:30-21:00")
    reply = programme.run("mentor", "/move 1 2026-11-26 09:00")  # Paris 09:00, Toronto 03:00
    assert reply.is_error and reply.lines[0].key == "hours.outside_for_host"
    assert Renderer("fr", "Europe/Paris").reply(reply) == [
        "Vos heures pour Sam Taylor\u202f: de 07:30 à 21:00, à son heure (America/Toronto)\u202f; "
        "ce créneau n’y est pas."
    ]
    # The slots the mentor is offered for the move are Sam's too.
    slots = offered(programme.ok("mentor", "/move 1"))
    assert slots and all(s.astimezone(UTC).weekday() == 2 for s in slots), slots
    assert programme.ok("mentor", "/move 1 2026-11-25 15:00").lines[0].key == "move.done"


def test_hours_are_shown_listed_and_removed_in_both_languages(programme: Programme) -> None:
    fr, en = Renderer("fr", "Europe/Paris"), Renderer("en", "Europe/Paris")
    assert programme.ok("mentor", "/availability hours").lines[0].key == "hours.none"
    set_ = programme.ok("mentor", "/availability hours 8h00-21h00")
    assert fr.reply(set_)[0].startswith("Vos étudiants se voient proposer des créneaux entre 08:00")
    assert en.reply(set_)[0].startswith("Your students are offered slots between 08:00 and 21:00")
    shown = programme.ok("mentor", "/availability heures")
    assert fr.reply(shown) == ["Pour vos étudiants\u202f: de 08:00 à 21:00, à leur heure"]
    assert en.reply(shown) == ["For your students: 08:00 to 21:00, their time"]
    listed = programme.ok("mentor", "/availability list")
    assert [line.key for line in listed.lines][-1] == "hours.line"
    assert listed.lines[-1].params == {"earliest": time(8), "latest": time(21)}
    for word in ("off", "aucune", "none"):
        assert programme.ok("mentor", f"/availability hours {word}").lines[0].key == (
            "hours.removed"
        )
        assert "hours.line" not in [
            line.key for line in programme.ok("mentor", "/availability").lines
        ]
        programme.ok("mentor", "/availability hours 08:00-21:00")
    programme.ok("mentor", "/availability heures aucune")
    assert len(offered(programme.ok("sam", "/book 2026-11-26"))) == 6


def test_bad_hours_are_refused(programme: Programme) -> None:
    assert programme.refused("mentor", "/availability hours 21:00-08:00") == "error.bad_time_range"
    assert programme.refused("mentor", "/availability hours 08:00 21:00") == "usage.availability"
    assert programme.refused("mentor", "/availability hours 25:00-26:00") == "error.bad_time"
    # Camille's shortest contract is 30 minutes: 20 minutes of hours would hold no session.
    assert programme.refused("mentor", "/availability hours 08:00-08:20") == "hours.too_short"
    assert programme.refused("sam", "/availability hours 08:00-21:00") == "error.not_allowed"


def test_the_hours_follow_the_students_daylight_saving(database: Database) -> None:
    """In the week between the two autumn changes Paris is five hours ahead of Toronto, not
    six: Wednesday 14:00 in Paris is 09:00 in Toronto then, 08:00 the week after."""
    programme = load_programme(database, ManualClock(utc(2026, 10, 26, 9)))
    programme.ok("mentor", "/availability hours 09:00-21:00")
    assert offered(programme.ok("sam", "/book 2026-10-28"))[0] == utc(2026, 10, 28, 13)
    assert offered(programme.ok("sam", "/book 2026-11-04"))[0] == utc(2026, 11, 4, 14)
    assert programme.ok("sam", "/book 2026-10-28 09:00").lines[0].params["when"] == (
        utc(2026, 10, 28, 13)
    )


@pytest.mark.parametrize("who", ["lea", "sam"])
def test_a_student_in_any_zone_books_inside_the_hours(programme: Programme, who: str) -> None:
    programme.ok("mentor", "/availability hours 08:00-21:00")
    typed = {"lea": "2026-11-25 14:00", "sam": "2026-11-25 08:00"}[who]
    booked = programme.ok(who, f"/book {typed}")
    assert booked.lines[0].params["when"] == utc(2026, 11, 25, 13)
