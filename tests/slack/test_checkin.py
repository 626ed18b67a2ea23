"""The weekly check-in on Slack: a form from `/checkin` or from the prompt's button, recorded by
the core; refusals about a field are marked on the modal, which stays open."""

from __future__ import annotations

import json
from typing import Any

from adapters.scheduler import run_job
from bot.domain import Checkin
from tests.slack.conftest import LEA, MENTOR, Slack, buttons, said, texts
from tests.slack.fake_slack import Call
from tests.slack.payloads import slash_command

BLOCKS = ["progress", "confidence", "blockers", "goal"]


def answers(progress: str, confidence: str, blockers: str, goal: str) -> dict[str, Any]:
    """Slack's state for the check-in form: three text inputs and the confidence select."""
    typed = {"progress": progress, "blockers": blockers, "goal": goal}
    values: dict[str, Any] = {
        block: {block: {"type": "plain_text_input", "value": value or None}}
        for block, value in typed.items()
    }
    option = {"value": confidence, "text": {"type": "plain_text", "text": confidence}}
    values["confidence"] = {"confidence": {"type": "static_select", "selected_option": option}}
    return values


def open_by_command(slack: Slack, user: str, name: str) -> Call:
    answer = slack.http.form(slash_command(user, "/checkin", "", slack.fake.response_url(name)))
    assert answer.status == 200 and answer.body == ""
    return slack.fake.wait_for("views.open")[-1]


def latest(slack: Slack, who: str = "lea") -> list[Checkin]:
    with slack.app.database.uow() as uow:
        return uow.checkins.recent(slack.programme.people[who].id)


def test_checkin_typed_alone_opens_the_form_and_its_answer_is_recorded(slack: Slack) -> None:
    opened = open_by_command(slack, LEA, "checkin")
    view = opened.args["view"]
    assert view["callback_id"] == "mentorbot_form_checkin"
    assert view["title"]["text"] == said("slack.checkin.title")
    assert [b["block_id"] for b in view["blocks"]] == BLOCKS
    progress, confidence, blockers, goal = view["blocks"]
    assert progress["element"]["type"] == "plain_text_input" and progress["element"]["multiline"]
    assert confidence["element"]["type"] == "static_select"
    options = confidence["element"]["options"]
    assert [o["value"] for o in options] == ["1", "2", "3", "4", "5"]
    assert options[0]["text"]["text"] == said("slack.checkin.confidence_1")
    assert blockers["optional"] and not goal["optional"] and not progress["optional"]

    # A "|" typed in a field stays in that field, as typed: a form's fields are never re-parsed.
    submitted = answers("Maquette finie | API\ncommencée", "4", "", "Tests <e2e> & CI")
    answer = slack.submit(LEA, opened, submitted)
    assert answer.status == 200 and answer.body == ""  # the modal closes
    thanks = slack.answer("checkin")
    assert thanks.args["response_type"] == "ephemeral"
    assert texts(thanks) == [said("checkin.thanks", goal="Tests <e2e> & CI")]
    [recorded] = latest(slack)
    assert (recorded.confidence, recorded.progress, recorded.blockers, recorded.goal) == (
        4,
        "Maquette finie | API\ncommencée",
        "",
        "Tests <e2e> & CI",
    )
    assert (recorded.iso_year, recorded.iso_week) == (2026, 48)
    assert recorded.answered_at is not None


def test_the_weekly_prompts_button_opens_the_form_in_the_dm(slack: Slack) -> None:
    assert run_job(slack.app, "checkins") >= 1  # Monday 10:00 in Paris: due since 09:00
    slack.worker().drain()
    [prompt] = slack.dms(LEA)
    assert texts(prompt) == [said("checkin.prompt"), said("choice.checkin")]
    assert [b["value"] for b in buttons(prompt)] == ["v1:ci"]  # AnswerCheckin(None)

    slack.press_in(prompt, LEA, "v1:ci", name="prompt")
    [opened] = slack.fake.wait_for("views.open")
    assert opened.args["view"]["callback_id"] == "mentorbot_form_checkin"
    metadata = json.loads(opened.args["view"]["private_metadata"])
    assert metadata["response_url"] == slack.fake.response_url("prompt")
    assert slack.submit(LEA, opened, answers("API finie", "2", "Docker", "Tests")).body == ""
    thanks = slack.answer("prompt")  # in the DM, seen by Léa only
    assert texts(thanks) == [said("checkin.thanks", goal="Tests")]
    [recorded] = latest(slack)
    assert recorded.sent_at is not None and recorded.answered_at is not None
    assert (recorded.confidence, recorded.blockers) == (2, "Docker")


def test_a_refusal_about_a_field_stays_on_the_modal(sqlite_slack: Slack) -> None:
    slack = sqlite_slack
    opened = open_by_command(slack, LEA, "refused")
    # Slack's select only offers 1 to 5: a forged value reaches the core, which refuses it.
    forged = slack.submit(LEA, opened, answers("API", "9", "", "Tests"))
    error = said("checkin.bad_confidence", value="9")
    assert json.loads(forged.body) == {"response_action": "errors", "errors": {"confidence": error}}
    # Spaces pass Slack's own "required" check; not ours.
    blank = slack.submit(LEA, opened, answers("   ", "3", "", " "))
    required = said("slack.form.required")
    assert json.loads(blank.body)["errors"] == {"progress": required, "goal": required}
    assert slack.fake.calls_to("respond/refused") == []
    assert latest(slack) == []


def test_a_refusal_about_the_person_closes_the_modal_and_says_why(sqlite_slack: Slack) -> None:
    slack = sqlite_slack
    opened = open_by_command(slack, MENTOR, "mentor")
    assert slack.submit(MENTOR, opened, answers("?", "3", "", "?")).body == ""
    assert texts(slack.answer("mentor")) == [f"⚠️ {said('error.not_allowed')}"]
