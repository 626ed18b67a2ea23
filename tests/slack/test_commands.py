"""Slash commands and buttons, as a person uses them in Slack: what they see, what was called."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from bot.actions import decode
from bot.clock import ManualClock
from bot.commands import MoveSession
from storage.database import Database
from tests.conftest import Programme, load_programme
from tests.slack.conftest import LEA, MENTOR, SAM, Slack, buttons, running, said, texts
from tests.slack.fake_slack import FakeSlack
from tests.slack.payloads import slash_command

WED_14 = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)  # Wednesday 25 November, 14:00 in Paris
THU_09 = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)  # Thursday 26 November, 09:00 in Paris


def test_a_student_books_from_the_slot_buttons_and_the_mentor_gets_a_dm(
    programme: Programme, fake_slack: FakeSlack
) -> None:
    with running(programme, fake_slack, deliver=True) as slack:
        picker = slack.command(LEA, "/book")
        assert picker.args["response_type"] == "ephemeral"
        assert texts(picker)[0] == said("booking.pick_slot", minutes=45)
        *slots, more = buttons(picker)
        assert len(slots) == 8  # a page of slots, then the next page
        assert more["text"]["text"] == said("week.more_slots")
        assert more["value"].startswith("v1:bk:")
        assert slots[0]["text"]["text"] == "mer. 25 nov. 2026 14:00"  # Léa's zone, Paris
        assert slots[0]["value"] == "v1:bk:202611251300"
        assert {b["action_id"] for b in slots} == {f"mentorbot_choice_{n}" for n in range(8)}

        booked = slack.click(LEA, slots[0]["value"])
        assert booked.args["replace_original"] is True  # the picker becomes the outcome
        assert texts(booked) == [
            said("booking.booked", id=1, mentor="Camille Martin", when=WED_14, minutes=45)
        ]
        dm = slack.fake.wait_for("chat.postMessage")[0]
    assert dm.args["channel"] == MENTOR and dm.channel == f"D{MENTOR}"  # posted to the user id
    assert dm.args["text"] == said("notify.session_booked", student="Léa Dubois", id=1, when=WED_14)
    assert "link_names" not in dm.args


def test_text_arguments_book_directly_and_sessions_offer_cancel_and_move(slack: Slack) -> None:
    booked = slack.command(LEA, "/book", "2026-11-26 09:00", name="book")
    assert texts(booked) == [
        said("booking.booked", id=1, mentor="Camille Martin", when=THU_09, minutes=45)
    ]
    listing = slack.command(LEA, "/sessions", name="sessions")
    assert texts(listing)[:2] == [
        said("sessions.title"),
        said("sessions.line.mentoring", id=1, when=THU_09, **{"with": "Camille Martin"}),
    ]
    assert [(b["text"]["text"], b["value"]) for b in buttons(listing)] == [
        (said("choice.cancel", id=1), "v1:cs:1"),
        (said("choice.move", id=1), "v1:mv:1"),
    ]
    cancelled = slack.click(LEA, "v1:cs:1", name="cancel")
    assert texts(cancelled) == [said("cancel.done", id=1, when=THU_09)]


def test_move_picks_the_session_then_the_new_slot(sqlite_slack: Slack) -> None:
    slack = sqlite_slack
    slack.programme.ok("lea", "/book 2026-11-26 09:00")
    which = slack.command(LEA, "/move", name="move")
    assert texts(which)[0] == said("move.pick_session")
    assert [b["value"] for b in buttons(which)] == ["v1:mv:1"]
    slots = buttons(slack.click(LEA, "v1:mv:1", name="slots"))
    assert slots[0]["value"] == "v1:mv:1:202611251300"
    moved = slack.click(LEA, slots[0]["value"], name="moved")
    assert texts(moved) == [said("move.done", id=1, when=WED_14)]


def test_move_pages_its_slots_with_a_more_button(sqlite_slack: Slack) -> None:
    slack = sqlite_slack
    slack.programme.ok("lea", "/book 2026-11-26 09:00")
    *first, more = buttons(slack.click(LEA, "v1:mv:1", name="slots"))
    assert len(first) == 8 and more["text"]["text"] == said("week.more_slots")
    assert more["value"] == "v1:mv:1::2"
    page = slack.click(LEA, more["value"], name="page")
    assert texts(page)[0] == said("move.pick_slot", minutes=45)
    second = [b["value"] for b in buttons(page) if b["value"].startswith("v1:mv:1:2")]
    assert second and not {b["value"] for b in first} & set(second)  # the next eight
    moved = slack.click(LEA, second[0], name="moved")
    picked = decode(second[0])
    assert isinstance(picked, MoveSession) and picked.starts_at and picked.starts_at > WED_14
    assert texts(moved) == [said("move.done", id=1, when=picked.starts_at)]


def test_a_refusal_leaves_the_picker_in_place(slack: Slack) -> None:
    slots = buttons(slack.command(LEA, "/book"))
    slack.programme.ok("lea", "/book 2026-11-26 09:00")  # this week's quota is now used
    refused = slack.click(LEA, slots[0]["value"])
    assert refused.args["replace_original"] is False
    quota = said("booking.quota_reached", per_week=1, url="https://school.example/advisor")
    assert texts(refused) == [f"⚠️ {quota}"]


def test_email_linked_people_get_their_language_and_zone_and_slack_is_asked_once(
    slack: Slack,
) -> None:
    first = slack.command(SAM, "/book", name="first")
    assert texts(first)[0] == said("booking.pick_slot", "en", minutes=30)
    assert buttons(first)[0]["text"]["text"] == "Wed 25 Nov 2026 08:00"  # Toronto
    slack.command(SAM, "/sessions", name="second")
    assert [call.args["user"] for call in slack.fake.calls_to("users.info")] == [SAM]
    assert slack.programme.core.identify("slack", SAM) == slack.programme.people["sam"]


def test_a_failed_slack_lookup_is_not_remembered(slack: Slack) -> None:
    slack.fake.script(
        "users.info", 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"}
    )
    first = slack.command(SAM, "/sessions", name="first")
    assert texts(first) == [said("link.unlinked")]  # no email to go by, this time
    second = slack.command(SAM, "/sessions", name="second")
    assert texts(second) == [said("sessions.none", "en")]
    assert len(slack.fake.calls_to("users.info")) == 2


def test_a_stranger_is_told_how_to_link_and_links_with_a_code(slack: Slack) -> None:
    told = slack.command("U0STRANGER", "/book", name="told")
    assert texts(told) == [said("link.unlinked")]  # the programme's language
    code = slack.programme.ok("advisor", "/mentorbot link zoe@school.example").lines[0]
    linked = slack.command("U0STRANGER", "/mentorbot", f"link {code.params['code']}", name="linked")
    assert texts(linked) == [said("link.done", name="Zoé Petit")]
    after = slack.command("U0STRANGER", "/sessions", name="after")
    assert texts(after) == [said("sessions.none")]


def test_language_change_is_answered_in_the_new_language(sqlite_slack: Slack) -> None:
    slack = sqlite_slack
    answered = slack.command(LEA, "/mentorbot", "language en")
    assert texts(answered) == [said("language.set.en", "en")]


def test_an_unknown_slash_command_reaches_the_core_which_says_so(sqlite_slack: Slack) -> None:
    slack = sqlite_slack
    answered = slack.command(LEA, "/frobnicate", "now")
    assert texts(answered) == [f"⚠️ {said('error.unknown_command', command='/frobnicate')}"]


def test_the_ack_does_not_wait_for_a_slow_database(
    sqlite_database: Database, clock: ManualClock, fake_slack: FakeSlack
) -> None:
    programme = load_programme(sqlite_database, clock)
    release, held = threading.Event(), threading.Event()

    def hold_the_database() -> None:
        with sqlite_database.uow():  # holds SQLite's write lock: every command must wait
            held.set()
            release.wait(10)

    with running(programme, fake_slack) as slack:
        holder = threading.Thread(target=hold_the_database)
        holder.start()
        try:
            assert held.wait(5)
            url = fake_slack.response_url("slow")
            answer = slack.http.form(slash_command(LEA, "/sessions", "", url))
            assert answer.status == 200 and answer.seconds < 1.0
            assert fake_slack.calls_to("respond/slow") == []  # the work is still waiting
        finally:
            release.set()
            holder.join()
        assert texts(slack.answer("slow")) == [said("sessions.none")]
