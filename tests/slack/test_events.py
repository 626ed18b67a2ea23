"""The Events API: direct messages are /ask, retries are handled once (the App Home tab:
test_home.py)."""

from __future__ import annotations

import json

from adapters.slack.render import SlackRenderer, line_texts
from bot.clock import ManualClock
from tests.conftest import Programme
from tests.slack.conftest import LEA, Slack, running, said, texts
from tests.slack.fake_slack import FakeSlack
from tests.slack.payloads import direct_message, event_callback

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
