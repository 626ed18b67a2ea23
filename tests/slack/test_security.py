"""Who may speak for whom: Slack's signature, buttons run as the clicker, text that cannot ping."""

from __future__ import annotations

import time

from bot.domain import Notification
from bot.replies import Choice, Text
from tests.slack.conftest import ADVISOR, ADVISORS, LEA, SECRET, Slack, buttons, said, texts
from tests.slack.payloads import SignedClient, slash_command


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
        assert "&lt;!channel&gt;" in seen.args["text"]
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
            choices=(
                Choice(Text("choice.cancel", {"id": 1}), "/mentorbot link sam@school.example"),
            ),
        )
    )
    slack.worker().drain()
    post = slack.fake.calls_to("chat.postMessage")[0]
    [button] = buttons(post)
    assert button["value"] == "/mentorbot link sam@school.example"
    assert button["action_id"] == "mentorbot_choice_0"

    refused = slack.click(LEA, button["value"], name="student", ephemeral=False, channel=ADVISORS)
    assert texts(refused) == [f"⚠️ {said('error.not_allowed')}"]
    assert refused.args["response_type"] == "ephemeral"
    assert refused.args["replace_original"] is False  # the channel's message stays

    granted = slack.click(ADVISOR, button["value"], name="advisor", ephemeral=False)
    [code] = texts(granted)
    assert "Sam Taylor" in code and not code.startswith("⚠️")
