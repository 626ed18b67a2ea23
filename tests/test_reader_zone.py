"""What each reader reads (issue 14): weekly hours on the reader's own clock (the owner's zone
only as an extra), a held question following the rule in force when it would be delivered,
and the system's alert summaries stored as keys, rendered in each advisor's language."""

from __future__ import annotations

from datetime import UTC, datetime, time

from bot.domain import AlertCategory, Decision
from bot.i18n import Renderer
from bot.replies import Text
from bot.services.alerts import raise_alert
from bot.weekly import WeeklyHours, openings
from tests.conftest import Programme
from tests.test_contact import decisions, deliver, delivered

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_weekly_hours_are_shown_on_the_readers_clock_dst_included() -> None:
    evenings = WeeklyHours((0, 4), time(18), time(20), "Europe/Paris", MONDAY)
    toronto = Renderer("en", "America/Toronto")
    assert toronto.value(evenings) == (
        "on Monday, Friday from 12:00 to 14:00 your time "
        "(on Monday, Friday from 18:00 to 20:00, Europe/Paris time)"
    )
    assert Renderer("fr", "Europe/Paris").value(evenings) == "lundi, vendredi de 18:00 à 20:00"
    # The week Europe has left summer time and North America not yet: 13:00 that week.
    gap = WeeklyHours((0,), time(18), time(20), "Europe/Paris", datetime(2026, 10, 27, tzinfo=UTC))
    assert "from 13:00 to 15:00 your time" in toronto.value(gap)
    # Late evening in Paris is the next morning in Tokyo: the day follows the hours.
    late = WeeklyHours((4,), time(22), time(23), "Europe/Paris", MONDAY)
    (opening,) = openings(late, Renderer("en", "Asia/Tokyo").zone)
    assert (opening.weekday, opening.starts) == (5, time(6))


def test_a_held_question_shows_the_window_in_the_students_zone(programme: Programme) -> None:
    programme.ok("mentor", "/contact window lun-ven 18:00-20:00")
    held = programme.ok("sam", "/ask topic=mentor Could you look at my schema?")
    shown = Renderer("en", "America/Toronto").reply(held)[0]
    assert "from 12:00 to 14:00 your time" in shown, shown
    assert "Mon 23 Nov 2026 12:00" in shown, shown  # the delivery, on the same clock


def test_a_held_question_follows_the_rule_in_force_when_delivered(programme: Programme) -> None:
    programme.ok("mentor", "/contact window lun-ven 18:00-20:00")
    programme.ok("lea", "/ask topic=mentor Une question du matin")
    programme.ok("sam", "/ask topic=mentor A morning question")
    assert decisions(programme, "lea") == [Decision.HELD]
    reply = programme.ok("mentor", "/contact none")
    assert reply.lines[-1].key == "contact.held_rerouted"
    assert decisions(programme, "lea") == [Decision.AGENDA]
    told = delivered(programme)
    assert [(p.name, n.key) for p, n in told.sent] == [
        ("Léa Dubois", "ask.rerouted"),
        ("Sam Taylor", "ask.rerouted"),
    ]
    english = Renderer("en", "America/Toronto").text(told.texts()[1])
    assert "changed the rule" in english and "kept for the next session" in english, english
    # When the window would have opened, nothing reaches the mentor: the rule says none.
    programme.clock.set(datetime(2026, 11, 23, 17, 0, tzinfo=UTC))
    assert deliver(programme) == []


def test_a_held_question_is_relayed_at_once_when_the_mentor_turns_to_async(
    programme: Programme,
) -> None:
    programme.ok("mentor", "/contact window lun-ven 18:00-20:00")
    programme.ok("lea", "/ask topic=mentor Une question du matin")
    programme.ok("mentor", "/contact window lun-ven 18:00-20:00")  # the same: nothing to tell
    assert deliver(programme) == []
    programme.ok("mentor", "/contact async")
    assert decisions(programme, "lea") == [Decision.RELAYED]
    assert sorted(deliver(programme)) == [
        ("Camille Martin", "question.relayed"),
        ("Léa Dubois", "ask.rerouted"),
    ]
    programme.clock.set(datetime(2026, 11, 23, 17, 0, tzinfo=UTC))
    assert deliver(programme) == []  # the held copy was dropped: relayed once


def test_the_systems_alert_summary_is_rendered_for_each_reader(programme: Programme) -> None:
    reasons = (
        Text("disengagement.checkins", {"count": 2}),
        Text("disengagement.no_booking", {"weeks": 2}),
    )
    with programme.database.uow() as uow:
        student = uow.people.get(programme.people["sam"].id)
        assert student is not None
        alert, _ = raise_alert(
            uow, student, None, AlertCategory.DISENGAGEMENT, "", None, MONDAY, ["x"], reasons
        )
        uow.commit()
    with programme.database.uow() as uow:
        stored = uow.alerts.get(alert.id)
    assert stored is not None and stored.summary_texts == reasons
    listing = programme.ok("advisor", "/alerts")
    english = "\n".join(Renderer("en", "Europe/Paris").reply(listing))
    french = "\n".join(Renderer("fr", "Europe/Paris").reply(listing))
    assert "2 weekly check-ins in a row unanswered. No session for 2 weeks." in english
    assert "No session" not in french and "2 semaines" in french, french


def test_the_keys_built_at_run_time_are_in_both_catalogues() -> None:
    from bot.domain import Attendance
    from bot.i18n import catalogue

    built = {
        *(f"attendance.value.{a.value}" for a in Attendance),
        *(f"attendance.recorded.{a}" for a in ("present", "late", "absent")),
        *(f"outcome.{o}" for o in ("validated", "rework")),
        *(f"correct.notify.{f}" for f in ("attendance", "outcome", "notes")),
        *(f"status.already_{s}" for s in ("paused", "active")),
        *(f"pause.{k}_{s}" for k in ("student", "mentor_told") for s in ("paused", "resumed")),
        *(f"pause.mentor_{s}" for s in ("leave", "back")),
    }
    for locale in ("fr", "en"):
        assert built <= catalogue(locale).keys(), (locale, built - catalogue(locale).keys())
