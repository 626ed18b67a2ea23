"""The Events API: direct messages are /ask, retries are handled once, the App Home tab."""

from __future__ import annotations

import json

from adapters.slack.render import SlackRenderer, line_texts
from bot.clock import ManualClock
from tests.conftest import Programme
from tests.slack.conftest import LEA, MENTOR, Slack, buttons, running, said, texts
from tests.slack.fake_slack import FakeSlack
from tests.slack.payloads import direct_message, event_callback, home_opened

QUESTION = "Comment découper mon projet <en> étapes & jalons ?"


def test_a_direct_message_is_ask_and_is_answered_in_the_dm(slack: Slack) -> None:
    typed = QUESTION.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    answer = slack.http.events(event_callback(direct_message(LEA, typed), "Ev0ASK"))
    assert answer.status == 200
    [reply] = slack.fake.wait_for("chat.postMessage")
    assert reply.args["channel"] == f"D{LEA}"
    # Exactly what the core answers Léa for `/ask` with the text as she typed it (unescaped).
    expected = slack.programme.core.run(slack.programme.people["lea"].id, "ask", QUESTION)
    assert texts(reply)[: len(expected.lines)] == line_texts(
        expected, SlackRenderer("fr", "Europe/Paris")
    )
    assert said("link.unlinked") not in texts(reply)


def test_a_stranger_writing_to_the_bot_is_told_how_to_link(sqlite_slack: Slack) -> None:
    sqlite_slack.http.events(event_callback(direct_message("U0STRANGER", "Bonjour"), "Ev0WHO"))
    [reply] = sqlite_slack.fake.wait_for("chat.postMessage")
    assert reply.args["channel"] == "DU0STRANGER"
    assert texts(reply) == [said("link.unlinked")]


def test_a_retried_event_is_handled_once_even_across_a_restart(
    programme: Programme, fake_slack: FakeSlack
) -> None:
    event = event_callback(direct_message(LEA, "Bonjour"), "Ev0RETRY")
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    with running(programme, fake_slack) as slack:
        assert slack.http.events(event).status == 200
        slack.fake.wait_for("chat.postMessage")
        assert slack.http.events(event, headers=retry).status == 200
    with running(programme, fake_slack) as restarted:  # a new process, the same database
        second = {**retry, "X-Slack-Retry-Num": "2"}
        assert restarted.http.events(event, headers=second).status == 200
        other = event_callback(direct_message(LEA, "Autre chose"), "Ev0OTHER")
        assert restarted.http.events(other).status == 200
        restarted.fake.wait_for("chat.postMessage", count=2)
    assert len(fake_slack.calls_to("chat.postMessage")) == 2  # Bonjour once, Autre chose once


def test_event_ids_are_forgotten_only_well_after_slacks_retry_window(
    slack: Slack, clock: ManualClock
) -> None:
    event = event_callback(direct_message(LEA, "Bonjour"), "Ev0OLD")
    slack.http.events(event)
    slack.fake.wait_for("chat.postMessage")
    clock.advance(minutes=10)  # past Slack's last retry (about 5 minutes), still remembered
    slack.http.events(event, headers={"X-Slack-Retry-Num": "3"})
    clock.advance(hours=2)
    slack.http.events(event_callback(direct_message(LEA, "Encore"), "Ev0SWEEP"))
    slack.fake.wait_for("chat.postMessage", count=2)
    with slack.app.database.uow() as uow:  # the sweep forgot Ev0OLD, kept the fresh one
        assert uow.events.first_time("slack", "Ev0OLD", clock.now())
        assert not uow.events.first_time("slack", "Ev0SWEEP", clock.now())


def test_edits_bot_posts_and_channel_messages_are_not_questions(sqlite_slack: Slack) -> None:
    slack = sqlite_slack
    ignored = [
        {**direct_message(LEA, "edited"), "subtype": "message_changed"},
        {**direct_message(LEA, "from a bot"), "bot_id": "B0OTHER"},
        {**direct_message(LEA, "in a channel"), "channel_type": "channel"},
        {**direct_message(LEA, "ourselves"), "user": "UBOT"},
    ]
    for n, event in enumerate(ignored):
        assert slack.http.events(event_callback(event, f"Ev0IGN{n}")).status == 200
    slack.http.events(event_callback(direct_message(LEA, "real"), "Ev0REAL"))
    slack.fake.wait_for("chat.postMessage")
    assert len(slack.fake.calls_to("chat.postMessage")) == 1


def test_url_verification_echoes_the_challenge(sqlite_slack: Slack) -> None:
    answer = sqlite_slack.http.events(
        {"token": "t", "challenge": "c-123", "type": "url_verification"}
    )
    assert answer.status == 200 and json.loads(answer.body) == {"challenge": "c-123"}


def test_the_app_home_shows_a_student_their_path_sessions_and_a_book_button(
    slack: Slack,
) -> None:
    slack.programme.ok("lea", "/book 2026-11-26 09:00")
    slack.http.events(event_callback(home_opened(LEA), "Ev0HOME"))
    [published] = slack.fake.wait_for("views.publish")
    assert published.args["user_id"] == LEA
    view = published.args["view"]
    assert view["type"] == "home"
    shown = texts_of(view["blocks"])
    assert said("slack.home.hello", name="Léa Dubois") in shown
    assert (
        said("slack.home.path", path="Web", mentor="Camille Martin", minutes=45, per_week=1)
        in shown
    )
    assert said("sessions.title") in shown
    values = [b["value"] for b in blocks_buttons(view["blocks"])]
    assert values == ["/cancel 1", "/move 1", "/book"]


def test_the_app_home_shows_a_mentor_each_student_and_their_next_session(
    slack: Slack,
) -> None:
    slack.programme.ok("lea", "/book 2026-11-26 09:00")
    slack.http.events(event_callback(home_opened(MENTOR), "Ev0MHOME"))
    view = slack.fake.wait_for("views.publish")[0].args["view"]
    shown = texts_of(view["blocks"])
    assert said("slack.home.students") in shown
    when = slack.programme.run("lea", "/sessions").lines[1].params["when"]
    assert said("slack.home.student", name="Léa Dubois", path="Web", when=when) in shown
    assert said("slack.home.student_idle", name="Sam Taylor", path="Data") in shown


def test_a_home_button_answers_by_dm_and_refreshes_the_tab(slack: Slack) -> None:
    from tests.slack.payloads import block_action

    clicked = block_action(LEA, "/book", action_id="mentorbot_choice_book", response_url=None)
    assert slack.http.interaction(clicked).status == 200
    [dm] = slack.fake.wait_for("chat.postMessage")
    assert dm.args["channel"] == LEA
    assert texts(dm)[0] == said("booking.pick_slot", minutes=45)
    assert len(buttons(dm)) == 8
    slack.fake.wait_for("views.publish")


def texts_of(blocks: list[dict[str, object]]) -> list[str]:
    found = []
    for block in blocks:
        text = block.get("text")
        if isinstance(text, dict):
            found.append(str(text["text"]))
    return found


def blocks_buttons(blocks: list[dict[str, object]]) -> list[dict[str, str]]:
    return [
        element
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]  # type: ignore[attr-defined]
    ]
