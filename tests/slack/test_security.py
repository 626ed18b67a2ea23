"""Who may speak for whom: Slack's signature, buttons run as the clicker, text that cannot ping."""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.commands import ListAlerts
from bot.domain import Notification
from bot.replies import Choice, Text
from tests.slack.conftest import ADVISOR, ADVISORS, LEA, SECRET, Slack, buttons, said, texts
from tests.slack.payloads import (
    SignedClient,
    block_action,
    direct_message,
    event_callback,
    signature,
    slash_command,
    view_submission,
)


def test_unsigned_stale_and_forged_requests_are_refused(sqlite_slack: Slack) -> None:
    slack = sqlite_slack
    body = slash_command(LEA, "/sessions", "", slack.fake.response_url("nope"))
    assert slack.http.form(body, signed=False).status == 401
    ten_minutes_ago = int(time.time()) - 600
    assert slack.http.form(body, timestamp=ten_minutes_ago).status == 401
    forger = SignedClient(slack.http.url, "not-" + SECRET)
    assert forger.form(body).status == 401
    # Nothing ran: no answer, no look-up, nothing queued.
    assert slack.fake.calls_to("respond/nope") == []
    assert slack.fake.calls_to("users.info") == []
    # The same request, signed now, is served.
    assert slack.http.form(body).status == 200
    assert texts(slack.answer("nope")) == [said("sessions.none")]


def test_a_channel_mention_typed_by_a_user_is_echoed_escaped(sqlite_slack: Slack) -> None:
    slack = sqlite_slack
    # With should_escape, Slack would send "@channel" as <!channel>; typed raw, it is escaped.
    for typed in ("<!channel> 10:00", "&lt;!channel&gt; 10:00"):
        seen = slack.command(LEA, "/book", typed, name=f"n{len(typed)}")
        assert "<!channel>" not in seen.text
        assert seen.args["text"].startswith("⚠️ ")  # not a date: the core echoes it back
        assert "&lt;\u200b!channel&gt;" in seen.args["text"]  # inert from the core, escaped here
        assert "link_names" not in seen.args


def test_a_channel_mention_in_a_notification_never_reaches_the_channel_unescaped(
    slack: Slack,
) -> None:
    slack.queue(
        Notification(
            "hostile-1",
            None,
            "notify.session_booked",
            {"student": "<!channel> <@U0EVERY> & co", "id": 7, "when": slack.app.clock.now()},
        )
    )
    assert slack.worker().drain() == 1
    post = slack.fake.calls_to("chat.postMessage")[0]
    assert post.args["channel"] == ADVISORS
    assert "<!channel>" not in post.text and "<@U0EVERY>" not in post.text
    assert "&lt;!channel&gt; &lt;@U0EVERY&gt; &amp; co" in post.args["text"]
    section = post.args["blocks"][0]["text"]
    assert section["type"] == "mrkdwn" and section["verbatim"] is True
    # The channel has many readers: the time is Slack's <!date^…>, shown in each one's zone.
    stamp = int(slack.app.clock.now().timestamp())
    assert f"<!date^{stamp}^{{date_short_pretty}} {{time}}|" in section["text"]
    assert "link_names" not in post.args


def test_a_button_runs_as_whoever_presses_it(slack: Slack) -> None:
    """An advisors' button pressed by a student is refused; pressed by an advisor, it works."""
    slack.queue(
        Notification(
            "advisor-only",
            None,
            "sessions.none",
            choices=(Choice(Text("choice.cancel", {"id": 1}), ListAlerts()),),
        )
    )
    slack.worker().drain()
    post = slack.fake.calls_to("chat.postMessage")[0]
    [button] = buttons(post)
    assert button["value"] == "v1:al:0"
    assert button["action_id"] == "mentorbot_choice_0"

    refused = slack.click(LEA, button["value"], name="student", ephemeral=False, channel=ADVISORS)
    assert texts(refused) == [f"⚠️ {said('error.not_allowed')}"]
    assert refused.args["response_type"] == "ephemeral"
    assert refused.args["replace_original"] is False  # the channel's message stays

    granted = slack.click(ADVISOR, button["value"], name="advisor", ephemeral=False)
    assert texts(granted) == [said("alert.none")]


# --- Malformed requests: refused at once, in one line, before anything parses them -----------

FORM, JSON = "application/x-www-form-urlencoded", "application/json"
SIGNED_BUT_UNPARSABLE = [
    ("payload=null", FORM),
    ("payload=1", FORM),
    ("payload=%5B1%2C2%5D", FORM),  # a JSON array
    ("payload=%22text%22", FORM),
    ("payload=%7Bnot+json", FORM),
    ("[1, 2]", JSON),
    ("null", JSON),
    ('{"event_id": ', JSON),
    ('{"team": 5, "user": [1], "type": "block_actions"}', JSON),
]
BAD_TIMESTAMPS = ["abc", "", "12.5", "1e9", "9" * 5000, "-", "²"]


def refusal_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """What a refused request left in the log: one line, no traceback, nothing at ERROR."""
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert all(r.exc_info is None and r.levelno < logging.ERROR for r in records), records
    assert all("\n" not in r.getMessage() for r in records), records
    return records


@pytest.mark.parametrize(("body", "content_type"), SIGNED_BUT_UNPARSABLE)
def test_a_signed_body_that_does_not_parse_is_refused_with_400_in_one_line(
    sqlite_slack: Slack,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    body: str,
    content_type: str,
) -> None:
    caplog.set_level(logging.INFO)
    answer = sqlite_slack.http.post(body, content_type)
    assert answer.status == 400 and answer.seconds < 1, answer
    assert len(refusal_lines(caplog)) == 1
    assert "Traceback" not in capsys.readouterr().err
    assert sqlite_slack.fake.calls_to("users.info") == []


@pytest.mark.parametrize("body", ["payload=null", "payload=1", "[1]", "\udcff"])
def test_an_unsigned_malformed_body_is_refused_with_401_before_it_is_parsed(
    sqlite_slack: Slack, caplog: pytest.LogCaptureFixture, body: str
) -> None:
    caplog.set_level(logging.INFO)
    raw = body.encode("utf-8", errors="surrogateescape")
    request = urllib.request.Request(
        sqlite_slack.http.url, data=raw, headers={"Content-Type": FORM}, method="POST"
    )
    status = _status(request)
    assert status in (400, 401)
    assert len(refusal_lines(caplog)) == 1


@pytest.mark.parametrize("stamp", BAD_TIMESTAMPS)
def test_a_bad_timestamp_header_is_refused_with_401_in_one_line(
    sqlite_slack: Slack,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    stamp: str,
) -> None:
    caplog.set_level(logging.INFO)
    body = urlencode(slash_command(LEA, "/sessions", "", sqlite_slack.fake.response_url("t")))
    headers = {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature(SECRET, stamp, body),  # type: ignore[arg-type]
    }
    answer = sqlite_slack.http.post(body, FORM, signed=False, headers=headers)
    assert answer.status == 401 and answer.seconds < 1, answer
    assert len(refusal_lines(caplog)) == 1
    assert "Traceback" not in capsys.readouterr().err
    assert sqlite_slack.fake.calls_to("respond/t") == []


def _status(request: urllib.request.Request) -> int:
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


# --- Signed payloads missing what Slack always sends: answered at once, in one line ----------


def _without(payload: dict[str, Any], *path: str) -> dict[str, Any]:
    copy = json.loads(json.dumps(payload))
    node = copy
    for key in path[:-1]:
        node = node[key]
    node.pop(path[-1])
    return copy


def _with(payload: dict[str, Any], value: object, *path: str) -> dict[str, Any]:
    copy = json.loads(json.dumps(payload))
    node = copy
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return copy


URL = "http://127.0.0.1:9/respond/never"
COMMAND = slash_command(LEA, "/ask", "Une question", URL)
CLICK = block_action(LEA, "/sessions", response_url=URL)
FORM_VIEW = view_submission(LEA, "mentorbot_form_checkin", {}, "{}")
EVENT = event_callback(direct_message(LEA, "Bonjour"), "Ev0MALFORMED")
MISSING_FIELDS = {
    "command without response_url": ("form", _without(COMMAND, "response_url")),
    "command without user_id": ("form", _without(COMMAND, "user_id")),
    "command whose response_url is no URL": ("form", _with(COMMAND, "nope", "response_url")),
    "command as a list": ("events", _with(COMMAND, ["/ask"], "command")),
    "click without user": ("interaction", _without(CLICK, "user")),
    "click whose user is a number": ("interaction", _with(CLICK, 7, "user")),
    "actions an object": ("interaction", _with(CLICK, {"value": "/sessions"}, "actions")),
    "actions a string": ("interaction", _with(CLICK, "/sessions", "actions")),
    "actions empty": ("interaction", _with(CLICK, [], "actions")),
    "an action that is a number": ("interaction", _with(CLICK, [1], "actions")),
    "click without trigger_id": ("interaction", _without(CLICK, "trigger_id")),
    "view without state": ("interaction", _without(FORM_VIEW, "view", "state")),
    "state values a list": ("interaction", _with(FORM_VIEW, [], "view", "state", "values")),
    "view a string": ("interaction", _with(FORM_VIEW, "v", "view")),
    "submission without user": ("interaction", _without(FORM_VIEW, "user")),
    "event a string": ("events", _with(EVENT, "message", "event")),
    "event without type": ("events", _without(EVENT, "event", "type")),
    "team a number": ("events", _with(EVENT, 5, "team_id") | {"team": 5}),
}


@pytest.mark.parametrize("case", list(MISSING_FIELDS))
def test_a_signed_payload_missing_a_field_is_answered_at_once_in_one_line(
    sqlite_slack: Slack, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    caplog.set_level(logging.INFO)
    kind, payload = MISSING_FIELDS[case]
    send = {"form": sqlite_slack.http.form, "interaction": sqlite_slack.http.interaction}
    answer = send.get(kind, sqlite_slack.http.events)(payload)
    assert answer.status in (200, 400) and answer.seconds < 1, answer
    assert len(refusal_lines(caplog)) == 1, caplog.records
    assert [c.method for c in sqlite_slack.fake.calls if c.method != "auth.test"] == []
