"""Issue 12 on Slack: buttons carry actions, not command lines; what people type in the forms
those buttons open arrives as typed (`|`, ` -- `, `¦`, long text); buttons and queued messages
from before the change still work."""

from __future__ import annotations

from typing import Any

from adapters.slack.render import escape
from bot import actions
from bot.commands import AcknowledgeAlert, ReplyToQuestion, ResolveAlert, RouteQuestion
from bot.domain import AlertStatus, Notification
from tests.legacy_buttons import HOSTILE_TEXT, queue_with_legacy_choices
from tests.slack.conftest import ADVISOR, ADVISORS, LEA, MENTOR, Slack, buttons, said, texts
from tests.slack.fake_slack import Call
from tests.slack.test_forms import escalate_through_the_form

SUMMARY = "Absente -- deux fois | sans nouvelles ¦ " + "x" * 200  # the form allows 300


def _typed(block: str, value: str) -> dict[str, dict[str, Any]]:
    return {block: {block: {"type": "plain_text_input", "value": value}}}


def _advisors_post(slack: Slack) -> Call:
    slack.worker().drain()
    posts = [p for p in slack.fake.calls_to("chat.postMessage") if p.channel == ADVISORS]
    return posts[-1]


def _resolve_with_the_form(slack: Slack, post: Call, value: str, note: str) -> None:
    forms = len(slack.fake.calls_to("views.open"))
    slack.press_in(post, ADVISOR, value, name="resolve")
    opened = slack.fake.wait_for("views.open", count=forms + 1)[forms]
    assert opened.args["view"]["callback_id"] == "mentorbot_form_resolve"
    assert slack.submit(ADVISOR, opened, _typed("note", note)).body == ""
    assert not texts(slack.answer("resolve"))[0].startswith("⚠️")


def test_an_alerts_buttons_carry_short_actions_and_a_typed_note_survives(slack: Slack) -> None:
    escalate_through_the_form(slack, SUMMARY, "a -- b | c ¦ d")
    post = _advisors_post(slack)
    assert SUMMARY in texts(post)[0]  # nothing in it needed escaping: shown as typed
    values = [b["value"] for b in buttons(post)]
    assert [actions.decode(v) for v in values[:2]] == [AcknowledgeAlert(1), ResolveAlert(1, "")]
    assert values[:2] == ["v1:aa:1", "v1:ar:1"] and all(len(v) <= 80 for v in values)

    _resolve_with_the_form(slack, post, values[1], HOSTILE_TEXT)
    with slack.programme.database.uow() as uow:
        [alert] = uow.alerts.listing(tuple(AlertStatus), None)
        resolved = [e for e in uow.alerts.events(alert.id) if e.action == "resolved"]
    assert alert.summary == SUMMARY and alert.status == AlertStatus.RESOLVED
    assert [e.note for e in resolved] == [HOSTILE_TEXT]


def test_an_answer_typed_after_the_reply_button_reaches_the_student_as_typed(
    slack: Slack,
) -> None:
    question = "Mon API | mes routes -- ¦ " + "q" * 300
    slack.programme.ok("mentor", "/contact async")
    slack.command(LEA, "/ask", f"topic=mentor {question}", name="ask")
    slack.worker().drain()
    [relayed] = slack.dms(MENTOR)
    reply, route = (b["value"] for b in buttons(relayed))
    assert (actions.decode(reply), actions.decode(route)) == (
        ReplyToQuestion(1, ""),
        RouteQuestion(1, None),
    )
    slack.press_in(relayed, MENTOR, reply, name="reply")
    [opened] = slack.fake.wait_for("views.open")
    assert slack.submit(MENTOR, opened, _typed("answer", HOSTILE_TEXT)).body == ""
    assert texts(slack.answer("reply")) == [said("question.answer_sent", id=1)]
    slack.worker().drain()
    with slack.programme.database.uow() as uow:
        stored = uow.questions.get(1)
    assert stored is not None and (stored.text, stored.answer) == (question, HOSTILE_TEXT)
    [answered] = slack.dms(LEA)
    assert escape(HOSTILE_TEXT) in texts(answered)[0]  # `&` escaped for Slack, nothing else


def test_a_message_posted_before_the_change_still_clicks(slack: Slack) -> None:
    """Its buttons carry command lines (the Slack message keeps them, the queued row too)."""
    escalate_through_the_form(slack, "Absente", "")
    slack.worker().drain()
    old = Notification(
        "legacy:alert:1", None, "alert.acknowledged", {"id": 1}, channel="advisors:slack"
    )
    now = slack.app.clock.now()
    lines = [("choice.acknowledge", "/alerts ack 1"), ("choice.resolve", "/alerts resolve 1")]
    queue_with_legacy_choices(slack.app.database, old, lines, now)
    post = _advisors_post(slack)
    assert [b["value"] for b in buttons(post)] == ["v1:aa:1", "v1:ar:1"]  # read, re-encoded

    # And a message already in Slack, its values the old command lines:
    blocks = _with_values(post.args["blocks"], ["/alerts ack 1", "/alerts resolve 1"])
    in_slack = Call(post.method, {**post.args, "blocks": blocks}, post.answer)
    acked = slack.click_in(in_slack, ADVISOR, "/alerts ack 1")
    assert texts(acked) == [said("alert.acknowledged", id=1)]
    _resolve_with_the_form(slack, in_slack, "/alerts resolve 1", "Famille appelée | ok")
    with slack.programme.database.uow() as uow:
        [note] = [e.note for e in uow.alerts.events(1) if e.action == "resolved"]
    assert note == "Famille appelée | ok"


def _with_values(blocks: list[dict[str, Any]], values: list[str]) -> list[dict[str, Any]]:
    """The message's blocks with its buttons' values replaced, in order."""
    remaining = iter(values)
    out = []
    for block in blocks:
        if block["type"] == "actions":
            elements = [{**e, "value": next(remaining, e["value"])} for e in block["elements"]]
            block = {**block, "elements": elements}
        out.append(block)
    return out


def test_a_forged_button_is_answered_no_longer_valid(sqlite_slack: Slack) -> None:
    for value in ("v1:aa:x", "v2:aa:1", "v1:zz:1", "/escalate plagiarism <@U0LEA> forged"):
        answer = sqlite_slack.click(ADVISOR, value, name=f"forged{len(value)}")
        assert texts(answer) == [f"⚠️ {said(actions.STALE)}"]
