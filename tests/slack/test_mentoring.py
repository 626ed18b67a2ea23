"""Between and after sessions on Slack: answering a relayed question from its DM, pausing
someone, recording attendance from the post-session prompt."""

from __future__ import annotations

from adapters.scheduler import run_job
from bot.clock import ManualClock
from bot.domain import PersonStatus, SessionStatus
from tests.slack.conftest import ADVISOR, LEA, MENTOR, Slack, buttons, said, texts

QUESTION = "Comment découper mon API ?"
ANSWER = "Par ressources,\npuis par verbes & codes <HTTP>."


def test_the_answer_button_in_a_relayed_question_opens_a_form_and_lea_gets_the_answer(
    slack: Slack,
) -> None:
    slack.programme.ok("mentor", "/contact async")
    assert texts(slack.command(LEA, "/ask", QUESTION, name="ask")) == [said("ask.relayed")]
    slack.worker().drain()
    [relayed] = slack.dms(MENTOR)
    assert [b["value"] for b in buttons(relayed)] == ["v1:rq:1", "v1:rt:1"]

    slack.press_in(relayed, MENTOR, "v1:rq:1", name="reply")
    [opened] = slack.fake.wait_for("views.open")
    view = opened.args["view"]
    assert view["callback_id"] == "mentorbot_form_reply"
    # The question is quoted above the answer: the modal hides the DM it came from.
    quoted = said("question.relayed", id=1, student="Léa Dubois", text=QUESTION)
    assert view["blocks"][0] == {"type": "section", "text": relayed.args["blocks"][0]["text"]}
    assert view["blocks"][0]["text"]["text"] == quoted
    assert [b["block_id"] for b in view["blocks"][1:]] == ["answer"]

    typed = {"answer": {"answer": {"type": "plain_text_input", "value": ANSWER}}}
    assert slack.submit(MENTOR, opened, typed).body == ""
    assert texts(slack.answer("reply")) == [said("question.answer_sent", id=1)]
    slack.worker().drain()
    [answered] = slack.dms(LEA)
    expected = said("question.answered", mentor="Camille Martin", question=QUESTION, answer=ANSWER)
    assert texts(answered) == [expected]
    assert "<HTTP>" not in answered.text  # escaped: Slack shows it, never parses it


def test_only_an_advisor_may_pause_and_resume_someone(sqlite_slack: Slack) -> None:
    slack = sqlite_slack
    refused = slack.command(LEA, "/pause", "<@U0SAM|sam>", name="lea")
    assert texts(refused) == [f"⚠️ {said('error.not_allowed')}"]
    paused = slack.command(ADVISOR, "/pause", "<@U0SAM|sam>", name="paused")
    assert texts(paused) == [said("status.paused", name="Sam Taylor")]
    sam = slack.programme.core.person(slack.programme.people["sam"].id)
    assert sam is not None and sam.status == PersonStatus.PAUSED
    resumed = slack.command(ADVISOR, "/resume", "<@U0SAM|sam>", name="resumed")
    assert texts(resumed) == [said("status.active", name="Sam Taylor")]


def test_the_no_show_button_after_a_session_records_it(slack: Slack, clock: ManualClock) -> None:
    slack.programme.ok("lea", "/book 2026-11-26 09:00")  # Thursday, 09:00-09:45 in Paris
    clock.advance(days=3, minutes=30)  # Thursday 10:30: over
    run_job(slack.app, "reminders")
    slack.worker().drain()
    [prompt] = [p for p in slack.dms(MENTOR) if buttons(p)]
    assert [b["value"] for b in buttons(prompt)] == [
        f"v1:at:1:{a}" for a in ("present", "absent", "late")
    ]

    recorded = slack.click_in(prompt, MENTOR, "v1:at:1:absent", name="absent")
    assert recorded.args["response_type"] == "ephemeral"
    assert recorded.args["replace_original"] is False  # the prompt stays in the DM
    assert texts(recorded) == [said("attendance.recorded.absent", id=1)]
    with slack.app.database.uow() as uow:
        session = uow.sessions.get(1)
    assert session is not None and session.status == SessionStatus.NO_SHOW
