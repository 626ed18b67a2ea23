"""Modals: a command line that lacks its free text opens a form; submitting it finishes the line."""

from __future__ import annotations

import json
from datetime import date, time
from typing import Any

from bot import actions
from bot.commands import ResolveAlert
from bot.domain import AlertStatus
from tests.slack.conftest import ADVISOR, ADVISORS, LEA, MENTOR, Slack, buttons, said, texts
from tests.slack.fake_slack import Call
from tests.slack.payloads import slash_command


def submit(slack: Slack, user: str, opened: Call, values: dict[str, dict[str, Any]]) -> None:
    answer = slack.submit(user, opened, values)
    assert answer.status == 200 and answer.body == ""  # the modal simply closes


def window(day: str, starts: str, ends: str) -> dict[str, dict[str, Any]]:
    return {
        "day": {"day": {"type": "static_select", "selected_option": {"value": day}}},
        "starts": {"starts": {"type": "timepicker", "selected_time": starts}},
        "ends": {"ends": {"type": "timepicker", "selected_time": ends}},
    }


def test_a_mentor_adds_availability_through_the_form(slack: Slack) -> None:
    listing = slack.command(MENTOR, "/availability", name="list")
    offered = buttons(listing)[-2:]
    assert [(b["text"]["text"], b["value"]) for b in offered] == [
        (said("slack.button.window"), "/availability add"),
        (said("slack.button.off"), "/availability off"),
    ]
    slack.press(MENTOR, "/availability add", name="form", action_id=offered[0]["action_id"])
    [opened] = slack.fake.wait_for("views.open")
    view = opened.args["view"]
    assert opened.args["trigger_id"].endswith(".trigger")
    assert view["callback_id"] == "mentorbot_form_window"
    assert view["title"]["text"] == said("slack.window.title")
    assert [b["block_id"] for b in view["blocks"]] == ["day", "starts", "ends"]
    submit(slack, MENTOR, opened, window("fri", "14:00", "16:00"))
    added = slack.answer("form")  # back where the form was opened from, ephemeral
    assert texts(added) == [
        said(
            "availability.added",
            day=said("day.fri"),
            starts=time(14, 0),
            ends=time(16, 0),
            zone="Europe/Paris",
        )
    ]


def test_the_cores_refusal_of_a_field_marks_it_on_the_open_modal(sqlite_slack: Slack) -> None:
    slack = sqlite_slack
    slack.press(MENTOR, "/availability add", name="form")
    [opened] = slack.fake.wait_for("views.open")
    refused = slack.submit(MENTOR, opened, window("fri", "16:00", "14:00"))
    assert refused.status == 200
    error = said("error.bad_time_range", value="16:00-14:00")
    assert json.loads(refused.body) == {"response_action": "errors", "errors": {"ends": error}}
    overlapping = slack.submit(MENTOR, opened, window("mon", "11:00", "13:00"))  # Mon 09-12
    starts, ends = time(9, 0), time(12, 0)
    overlap = said("availability.overlaps", day=said("day.mon"), starts=starts, ends=ends)
    assert json.loads(overlapping.body)["errors"] == {"starts": overlap}
    assert slack.fake.calls_to("respond/form") == []  # shown on the modal, nowhere else
    submit(slack, MENTOR, opened, window("fri", "14:00", "16:00"))  # corrected: closes
    assert not texts(slack.answer("form"))[0].startswith("⚠️")


def test_time_off_with_one_day(sqlite_slack: Slack) -> None:
    slack = sqlite_slack
    url = slack.fake.response_url("off")
    slack.http.form(slash_command(MENTOR, "/availability", "off", url))
    [opened] = slack.fake.wait_for("views.open")
    submit(
        slack,
        MENTOR,
        opened,
        {"first": {"first": {"type": "datepicker", "selected_date": "2026-12-24"}}},
    )
    day = date(2026, 12, 24)
    assert texts(slack.answer("off")) == [said("availability.off_added", first=day, last=day)]


def escalate_through_the_form(slack: Slack, summary: str, details: str) -> None:
    """`/escalate` typed alone opens the form; the mentor fills it in and submits it."""
    url = slack.fake.response_url("escalate")
    slack.http.form(slash_command(MENTOR, "/escalate", "", url))
    [opened] = slack.fake.wait_for("views.open")
    assert json.loads(opened.args["view"]["private_metadata"])["response_url"] == url
    selected = {"type": "static_select", "selected_option": {"value": "absence"}}
    submit(
        slack,
        MENTOR,
        opened,
        {
            "category": {"category": selected},
            "student": {"student": {"type": "users_select", "selected_user": LEA}},
            "summary": {"summary": {"type": "plain_text_input", "value": summary}},
            "details": {"details": {"type": "plain_text_input", "value": details}},
        },
    )
    raised = slack.answer("escalate")
    assert not texts(raised)[0].startswith("⚠️"), texts(raised)


def test_an_escalation_form_reaches_the_advisors_escaped_and_without_details(
    slack: Slack,
) -> None:
    escalate_through_the_form(slack, "<!channel> absente", "hospitalisée")
    assert slack.worker().drain() >= 1
    [post] = [p for p in slack.fake.calls_to("chat.postMessage") if p.args["channel"] == ADVISORS]
    assert "<!channel>" not in post.text
    assert "absente" in post.args["text"] and "hospitalisée" not in post.text
    resolve = [b for b in buttons(post) if isinstance(actions.read(b["value"]), ResolveAlert)]
    assert resolve, buttons(post)

    # The advisor's "resolve" button needs a note: it opens a form, whose outcome edits the post.
    slack.press(ADVISOR, resolve[0]["value"], name="resolve", ephemeral=False, channel=ADVISORS)
    note_form = slack.fake.wait_for("views.open", count=2)[1]
    assert note_form.args["view"]["callback_id"] == "mentorbot_form_resolve"
    submit(
        slack,
        ADVISOR,
        note_form,
        {"note": {"note": {"type": "plain_text_input", "value": "Famille appelée."}}},
    )
    resolved = slack.answer("resolve")
    assert not texts(resolved)[0].startswith("⚠️"), texts(resolved)
    slack.worker().drain()
    [edit] = slack.fake.calls_to("chat.update")
    assert edit.args["ts"] == post.answer["ts"] and edit.args["channel"] == ADVISORS


def test_what_a_form_says_survives_as_typed(slack: Slack) -> None:
    """Issue 12: a form's fields reach the core as fields, not as a line split again, so
    ` -- ` stays in the summary (it is no longer taken for the private part), `|` and `¦`
    stay themselves, and a long text is kept whole."""
    summary = "Absente -- deux fois | sans nouvelles ¦ " + "x" * 200
    escalate_through_the_form(slack, summary, "a -- b | c")
    with slack.programme.database.uow() as uow:
        [alert] = uow.alerts.listing(tuple(AlertStatus), None)
        details = uow.alerts.details(alert.id)
    assert (alert.summary, details) == (summary, "a -- b | c")
