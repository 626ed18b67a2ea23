"""The outbox through Slack: DMs, the advisors channel, rate limits, outages, lost users."""

from __future__ import annotations

import io

from adapters.scheduler import run_job
from bot.clock import ManualClock
from bot.domain import Notification
from tests.slack.conftest import ADVISORS, LEA, MENTOR, SAM, Slack, said, texts


def pending(slack: Slack) -> int:
    with slack.app.database.uow() as uow:
        return uow.outbox.pending_count()


def alert(key: str = "alert-1") -> Notification:
    return Notification(key, None, "sessions.none")


def test_a_429_delays_an_alert_but_does_not_lose_it(slack: Slack, clock: ManualClock) -> None:
    slack.fake.script(
        "chat.postMessage", 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "30"}
    )
    slack.queue(alert())
    worker = slack.worker()
    assert worker.run_once() == 0  # rate limited: rescheduled, not slept on
    assert len(slack.fake.calls_to("chat.postMessage")) == 1
    clock.advance(seconds=29)
    assert worker.run_once() == 0
    assert len(slack.fake.calls_to("chat.postMessage")) == 1  # Retry-After is honoured
    clock.advance(seconds=1)
    assert worker.run_once() == 1
    assert worker.drain() == 0
    posts = slack.fake.calls_to("chat.postMessage")
    assert len(posts) == 2 and posts[1].args["channel"] == ADVISORS
    assert texts(posts[1]) == [said("sessions.none")]
    assert pending(slack) == 0


def test_a_5xx_is_retried_with_backoff(slack: Slack, clock: ManualClock) -> None:
    slack.fake.script("chat.postMessage", 503, {"ok": False, "error": "service_unavailable"})
    slack.queue(alert())
    worker = slack.worker()
    assert worker.run_once() == 0 and pending(slack) == 1
    clock.advance(seconds=5)  # the first backoff is at most 2 s
    assert worker.run_once() == 1 and pending(slack) == 0


def test_dms_go_to_the_user_id_and_speak_the_readers_language(
    slack: Slack, clock: ManualClock
) -> None:
    people = slack.programme.people
    for n in range(2):
        slack.queue(Notification(f"dm-{n}", people["mentor"].id, "sessions.none"))
    slack.queue(Notification("dm-sam", people["sam"].id, "sessions.none"))
    assert slack.worker().drain() == 3
    assert slack.fake.calls_to("conversations.open") == []  # Tier 3: none per new reader
    posts = slack.fake.calls_to("chat.postMessage")
    assert [p.args["channel"] for p in posts] == [MENTOR, MENTOR, SAM]
    assert [p.channel for p in posts] == [f"D{MENTOR}", f"D{MENTOR}", f"D{SAM}"]
    assert texts(posts[2]) == [said("sessions.none", "en")]
    # Sam had no slack_id on the roster: found by email, and now linked.
    assert [c.args["email"] for c in slack.fake.calls_to("users.lookupByEmail")] == [
        "sam@school.example"
    ]
    assert slack.programme.core.identify("slack", SAM) == people["sam"]


def test_someone_slack_cannot_find_keeps_their_messages_until_they_link(
    slack: Slack, clock: ManualClock
) -> None:
    zoe = slack.programme.people["zoe"]  # no slack_id, and her email is not in the workspace
    slack.queue(Notification("dm-zoe-1", zoe.id, "sessions.none"))
    worker = slack.worker()
    assert worker.drain() == 1  # only the advisors' post: Zoé's message is kept, not "sent"
    [told] = slack.fake.calls_to("chat.postMessage")
    assert told.args["channel"] == ADVISORS
    assert texts(told) == [said("delivery.not_linked", name="Zoé Petit", email=zoe.email)]
    assert pending(slack) == 1
    slack.queue(Notification("dm-zoe-2", zoe.id, "sessions.title"))
    clock.advance(hours=30)  # longer than the give-up limit: waiting to link is not failing
    assert worker.drain() == 0
    assert len(slack.fake.calls_to("users.lookupByEmail")) == 1  # looked up once
    assert len(slack.fake.calls_to("chat.postMessage")) == 1  # the advisors are told once
    assert pending(slack) == 2

    # She joins the workspace and uses the bot: linked by her email, her messages go, in order.
    slack.fake.users["U0ZOE"] = {"email": zoe.email, "tz": "Europe/Paris", "locale": "fr-FR"}
    slack.command("U0ZOE", "/sessions")
    assert worker.drain() == 2
    assert [texts(p) for p in slack.dms("U0ZOE")] == [
        [said("sessions.none")],
        [said("sessions.title")],
    ]
    assert pending(slack) == 0


def test_someone_who_joins_slack_later_is_looked_up_again_the_next_day(
    slack: Slack, clock: ManualClock
) -> None:
    """She never writes to the bot: the daily job routes her kept messages again, the lookup
    by email finds her, and they go; the advisors were told only the first time."""
    zoe = slack.programme.people["zoe"]
    slack.queue(Notification("dm-zoe-1", zoe.id, "sessions.none"))
    worker = slack.worker()
    worker.drain()
    app = slack.app
    assert run_job(app, "unparked") == 0  # parked just now: not yet a day
    clock.advance(hours=24)
    assert run_job(app, "unparked") == 1
    worker.drain()  # still not in the workspace: looked up again, kept again, nobody told
    assert len(slack.fake.calls_to("users.lookupByEmail")) == 2
    assert len(slack.fake.calls_to("chat.postMessage")) == 1 and pending(slack) == 1

    slack.fake.users["U0ZOE"] = {"email": zoe.email, "tz": "Europe/Paris", "locale": "fr-FR"}
    clock.advance(hours=24)
    assert run_job(app, "unparked") == 1
    assert worker.drain() == 1
    assert [texts(p) for p in slack.dms("U0ZOE")] == [[said("sessions.none")]]
    assert slack.programme.core.identify("slack", "U0ZOE") == zoe


def test_a_console_session_does_not_consume_a_slack_users_messages(slack: Slack) -> None:
    """Issue 11: `mentorbot console` printed (and marked sent) messages of people it is not."""
    from adapters.console.adapter import ConsoleSession

    people = slack.programme.people
    slack.queue(Notification("dm-zoe", people["zoe"].id, "sessions.none"))
    slack.queue(Notification("dm-lea", people["lea"].id, "sessions.none"))
    out = io.StringIO()
    ConsoleSession(slack.app, people["lea"], out).worker.drain()
    assert out.getvalue() == ""  # Léa is on Slack: the console is not her route
    assert pending(slack) == 2
    assert slack.worker().drain() == 2  # Léa's DM, and the advisors told about Zoé
    assert len(slack.dms(LEA)) == 1 and pending(slack) == 1


def test_a_missing_channel_is_permanent(slack: Slack) -> None:
    slack.fake.script("chat.postMessage", 200, {"ok": False, "error": "channel_not_found"})
    slack.queue(alert())
    assert slack.worker().drain() == 0
    assert pending(slack) == 0


def test_an_update_edits_the_earlier_post(slack: Slack) -> None:
    slack.queue(alert("alert:9:post"))
    assert slack.worker().drain() == 1
    posted = slack.fake.calls_to("chat.postMessage")[0]
    slack.queue(
        Notification(
            "alert:9:post:2", None, "sessions.title", channel="advisors", updates="alert:9:post"
        )
    )
    assert slack.worker().drain() == 1
    [edit] = slack.fake.calls_to("chat.update")
    assert edit.args["channel"] == ADVISORS
    assert edit.args["ts"] == posted.answer["ts"]
    assert texts(edit) == [said("sessions.title")]
    assert len(slack.fake.calls_to("chat.postMessage")) == 1
