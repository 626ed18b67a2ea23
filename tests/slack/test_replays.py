"""A signed request replayed inside Slack's five-minute window is served once.

Slack does not retry slash commands or interactions, but whoever captures one (a proxy's log, a
misbehaving load balancer) can resend it: its signature stays valid for five minutes. Each is
remembered like an event id, in the database, so a restart in between changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import time

from bot.domain import AlertStatus
from tests.conftest import Programme
from tests.slack.conftest import ADVISORS, LEA, MENTOR, Slack, running, said, texts
from tests.slack.fake_slack import FakeSlack
from tests.slack.payloads import block_action, slash_command, view_submission

QUESTION = "Comment tester mon API ?"


def send_three_times(slack: Slack, fields: dict[str, str]) -> None:
    """The very same signed request (same body, same timestamp, same signature), three times."""
    stamp = int(time.time())
    for _ in range(3):
        answer = slack.http.form(fields, timestamp=stamp)
        assert answer.status == 200 and answer.body == "", answer


def test_the_same_signed_ask_sent_three_times_relays_one_question(slack: Slack) -> None:
    slack.programme.ok("mentor", "/contact async")
    send_three_times(slack, slash_command(LEA, "/ask", QUESTION, slack.fake.response_url("ask")))
    assert texts(slack.answer("ask")) == [said("ask.relayed")]
    assert slack.worker().drain() == 1
    assert len(slack.dms(MENTOR)) == 1
    assert len(slack.fake.calls_to("respond/ask")) == 1


def test_the_same_signed_escalate_sent_three_times_counts_one_report(slack: Slack) -> None:
    url = slack.fake.response_url("report")
    command = slash_command(MENTOR, "/escalate", "absence <@U0LEA|lea> Absente deux fois", url)
    send_three_times(slack, command)
    slack.answer("report")
    slack.worker().drain()
    posts = slack.fake.calls_to("chat.postMessage")
    assert len([p for p in posts if p.args["channel"] == ADVISORS]) == 1
    with slack.app.database.uow() as uow:
        [alert] = uow.alerts.listing(tuple(AlertStatus), slack.programme.people["lea"].id)
    assert alert.reports == 1


def test_a_replayed_button_and_a_replayed_form_run_once(sqlite_slack: Slack) -> None:
    slack = sqlite_slack
    click = block_action(LEA, "/sessions", response_url=slack.fake.response_url("click"))
    stamp = int(time.time())
    for _ in range(3):
        assert slack.http.interaction(click, timestamp=stamp).status == 200
    slack.answer("click")
    window = {
        "day": {"day": {"type": "static_select", "selected_option": {"value": "fri"}}},
        "starts": {"starts": {"type": "timepicker", "selected_time": "14:00"}},
        "ends": {"ends": {"type": "timepicker", "selected_time": "16:00"}},
    }
    metadata = json.dumps({"args": [], "response_url": slack.fake.response_url("form")})
    form = view_submission(MENTOR, "mentorbot_form_window", window, metadata)
    for _ in range(3):
        assert slack.http.interaction(form, timestamp=stamp).status == 200
    slack.answer("form")
    # What they answered, once each: the first clicks' replies came before the check below.
    slack.http.form(slash_command(LEA, "/sessions", "", slack.fake.response_url("after")))
    slack.answer("after")
    assert len(slack.fake.calls_to("respond/click")) == 1
    assert len(slack.fake.calls_to("respond/form")) == 1
    with slack.app.database.uow() as uow:
        weekly = uow.availability.weekly(slack.programme.people["mentor"].id)
    assert [w.starts for w in weekly].count(dt.time(14, 0)) == 2  # Wednesday's, and Friday's


def test_a_replay_after_a_restart_is_still_refused_and_a_new_request_served(
    programme: Programme, fake_slack: FakeSlack
) -> None:
    stamp = int(time.time())
    command = slash_command(LEA, "/sessions", "", fake_slack.response_url("first"))
    with running(programme, fake_slack) as slack:
        assert slack.http.form(command, timestamp=stamp).status == 200
        slack.answer("first")
    with running(programme, fake_slack) as restarted:  # a new process, the same database
        assert restarted.http.form(command, timestamp=stamp).status == 200
        # Typed again, it is a new request (a new trigger, a new signature): served.
        again = slash_command(LEA, "/sessions", "", fake_slack.response_url("again"))
        assert restarted.http.form(again, timestamp=stamp).status == 200
        restarted.answer("again")
    assert len(fake_slack.calls_to("respond/first")) == 1
