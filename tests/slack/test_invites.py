"""Calendar invites on Slack: each party's DM gets its message, then its `.ics` uploaded into
the same conversation with files_upload_v2; a refused upload still leaves the message, sent
once."""

from __future__ import annotations

from icalendar import Calendar

from tests.slack import payloads
from tests.slack.conftest import LEA, MENTOR, Slack, said
from tests.slack.fake_slack import Call

ROOM = "https://visio.example.org/camille"


def uploads(slack: Slack) -> list[tuple[Call, Calendar]]:
    """Each completed upload with the calendar its bytes parse to."""
    bodies = {
        c.method.removeprefix("upload/"): c
        for c in slack.fake.calls
        if c.method.startswith("upload/")
    }
    found = []
    for done in slack.fake.calls_to("files.completeUploadExternal"):
        for shared in done.answer.get("files", []):  # none when the upload was refused
            found.append((done, Calendar.from_ical(bodies[shared["id"]].args["content"])))
    return found


def pending(slack: Slack) -> int:
    with slack.app.database.uow() as uow:
        return uow.outbox.pending_count()


def test_booking_uploads_each_partys_invite_into_the_dm_after_the_message(
    sqlite_slack: Slack,
) -> None:
    slack = sqlite_slack
    slack.command(LEA, "/book", "2026-11-26 09:00", name="book")
    assert slack.worker().drain() == 2
    sent = uploads(slack)
    assert sorted(done.args["channel_id"] for done, _ in sent) == [f"D{LEA}", f"D{MENTOR}"]
    for done, calendar in sent:
        assert str(calendar["METHOD"]) == "REQUEST"
        [event] = calendar.walk("VEVENT")
        assert str(event["UID"]).endswith("@mentorbot") and int(event["SEQUENCE"]) == 0
        # The message first, then its file, in the same conversation.
        [post] = [
            p
            for p in slack.fake.calls_to("chat.postMessage")
            if p.channel == done.args["channel_id"]
        ]
        assert slack.fake.calls.index(post) < slack.fake.calls.index(done)
        name = slack.fake.calls_to("files.getUploadURLExternal")[sent.index((done, calendar))]
        assert name.args["filename"] == "session-1.ics"
    [lea_post] = slack.dms(LEA)
    assert "session-1" not in lea_post.text and "#1" in lea_post.text


def test_a_refused_upload_still_delivers_the_message_once(sqlite_slack: Slack) -> None:
    slack = sqlite_slack
    slack.fake.script("files.completeUploadExternal", 200, {"ok": False, "error": "missing_scope"})
    slack.fake.script("files.getUploadURLExternal", 500, {"ok": False, "error": "fatal_error"})
    slack.command(LEA, "/book", "2026-11-26 09:00", name="book")
    worker = slack.worker()
    assert worker.drain() == 2  # both messages sent, neither file
    assert pending(slack) == 0
    assert len(slack.dms(LEA)) == 1 and len(slack.dms(MENTOR)) == 1
    assert uploads(slack) == []
    assert len(slack.fake.calls_to("files.completeUploadExternal")) == 1  # tried once, no more
    assert worker.drain() == 0  # nothing sent again
    assert len(slack.fake.calls_to("chat.postMessage")) == 2


def join_buttons(call: Call) -> list[tuple[str, str]]:
    """The buttons that open a URL: (label, url)."""
    blocks = call.args.get("blocks") or []
    found = [e for b in blocks if b["type"] == "actions" for e in b["elements"] if "url" in e]
    return [(e["text"]["text"], e["url"]) for e in found]


def test_the_room_is_a_button_in_the_confirmation_and_in_both_dms(sqlite_slack: Slack) -> None:
    slack = sqlite_slack
    set_room = slack.command(MENTOR, "/mentorbot", f"meeting <{ROOM}>", name="room")
    assert set_room.args["text"] == said("meeting.set", url=ROOM, sessions=0)
    booked = slack.command(LEA, "/book", "2026-11-26 09:00", name="book")
    assert join_buttons(booked) == [("Rejoindre la séance", ROOM)]
    slack.worker().drain()
    for dm in (*slack.dms(LEA), *slack.dms(MENTOR)):
        assert join_buttons(dm) == [("Rejoindre la séance", ROOM)]
    # Slack tells the app of the click: acknowledged, nothing run, nothing posted.
    posted = len(slack.fake.calls)
    clicked = slack.http.interaction(
        payloads.block_action(LEA, "join", action_id="mentorbot_link_0", response_url=None)
    )
    assert clicked.status == 200 and clicked.body == ""
    assert len(slack.fake.calls) == posted
