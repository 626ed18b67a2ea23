"""The advisors' view on Slack: the weekly digest carries its chart (uploaded into the advisors'
channel after the message), and `/overview` and the App Home fit Slack's limits (50 blocks a
message, 100 a Home tab, 3,000 characters a text) for a school of 300 students."""

from __future__ import annotations

from typing import Any

from bot import scheduled
from tests.big_programme import at_risk_school
from tests.programme_facts import NOW, build
from tests.slack.conftest import ADVISOR, ADVISORS, Slack
from tests.slack.fake_slack import Call
from tests.slack.payloads import event_callback, home_opened

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MESSAGE_BLOCKS, HOME_BLOCKS, TEXT_LIMIT = 50, 100, 3000


def texts_of(blocks: list[dict[str, Any]]) -> list[str]:
    return [b["text"]["text"] for b in blocks if isinstance(b.get("text"), dict)]


def within_limits(blocks: list[dict[str, Any]], limit: int) -> None:
    assert 0 < len(blocks) <= limit
    assert all(len(text) <= TEXT_LIMIT for text in texts_of(blocks))


def test_the_weekly_digest_carries_the_chart(slack: Slack) -> None:
    build(slack.programme)
    slack.programme.clock.set(NOW)
    with slack.app.database.uow() as uow:
        scheduled.digest(uow, NOW, slack.app.settings)
    assert slack.worker().drain() == 1
    [post] = [c for c in slack.fake.calls_to("chat.postMessage") if c.channel == ADVISORS]
    [asked] = slack.fake.calls_to("files.getUploadURLExternal")
    assert asked.args["filename"] == "mentorbot-weeks-2026-12-02.png"
    [sent] = [c for c in slack.fake.calls if c.method.startswith("upload/")]
    assert sent.args["bytes"].startswith(PNG_MAGIC) and len(sent.args["bytes"]) > 10_000
    [done] = slack.fake.calls_to("files.completeUploadExternal")
    assert done.args["channel_id"] == ADVISORS
    assert slack.fake.calls.index(post) < slack.fake.calls.index(done)  # the text first
    assert slack.worker().drain() == 0  # exactly once: nothing posted or uploaded again
    assert len(slack.fake.calls_to("files.completeUploadExternal")) == 1


def test_overview_fits_a_message_for_300_students(slack: Slack) -> None:
    at_risk_school(slack.programme, students=300, mentors=30)
    answer: Call = slack.command(ADVISOR, "/overview")
    blocks = answer.args["blocks"]
    within_limits(blocks, MESSAGE_BLOCKS)
    shown = "\n".join(texts_of(blocks))
    assert "/students à-risque" in shown and "Student With A Rather Long Name" in shown


def test_the_advisors_home_shows_the_overview_within_limits(slack: Slack) -> None:
    at_risk_school(slack.programme, students=300, mentors=30)
    slack.http.events(event_callback(home_opened(ADVISOR), "Ev0HOMEOVERVIEW"))
    view = slack.fake.wait_for("views.publish")[-1].args["view"]
    within_limits(view["blocks"], HOME_BLOCKS)
    assert any("/students à-risque" in text for text in texts_of(view["blocks"]))


def test_an_advisors_export_arrives_as_a_file_in_their_dm(slack: Slack) -> None:
    build(slack.programme)
    slack.programme.clock.set(NOW)
    answer = slack.command(ADVISOR, "/export sessions 2026-11-23 2026-12-06")
    assert "10" in answer.text  # rows, said at once; the file follows by DM
    assert slack.worker().drain() >= 1
    [asked] = slack.fake.calls_to("files.getUploadURLExternal")
    assert asked.args["filename"] == "mentorbot-sessions-2026-11-23-2026-12-06.csv"
    [sent] = [c for c in slack.fake.calls if c.method.startswith("upload/")]
    assert sent.args["bytes"].startswith(b"\xef\xbb\xbfsession_id,")
    [done] = slack.fake.calls_to("files.completeUploadExternal")
    assert done.args["channel_id"] == f"D{ADVISOR}"
