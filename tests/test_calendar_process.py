"""Calendars in the processes a school runs: the console books and writes the invite where it
says, and `mentorbot run` — with no chat platform — serves the person's feed over HTTP to whoever
holds the token, and a bare 404 to anyone else."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from icalendar import Calendar

from bot.i18n import Renderer
from bot.replies import Text
from tests.serving_process import Process, base_env, serve

PUBLIC = "https://mentorbot.school.example"
FEED = re.compile(re.escape(PUBLIC) + r"/calendar/([A-Za-z0-9_-]+)\.ics")
LEA = "lea.dubois@example.org"


def env(directory: Path) -> dict[str, str]:
    return base_env(
        f"sqlite:///{directory / 'school.db'}",
        MENTORBOT_PUBLIC_URL=PUBLIC,
        MENTORBOT_MEETING_URL_TEMPLATE="https://meet.school.example/m-{token}",
        MENTORBOT_BOOK_MIN_NOTICE_HOURS="48",  # far enough from the clock to move and cancel
    )


def mentorbot(directory: Path, *args: str, stdin: str = "") -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=directory,
        env=env(directory),
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def console(directory: Path, *lines: str) -> str:
    return mentorbot(directory, "console", "--as", LEA, stdin="\n".join(lines) + "\n")


def feed(process: Process, token: str) -> tuple[int, str]:
    return process.get(f"/calendar/{token}.ics")


def events(body: str) -> dict[str, tuple[str, str]]:
    """The feed's events by UID: (status, start as ISO)."""
    calendar = Calendar.from_ical(body)
    return {
        str(e["UID"]): (str(e["STATUS"]), e.decoded("DTSTART").isoformat())
        for e in calendar.walk("VEVENT")
    }


def test_book_on_the_console_then_fetch_the_feed_from_the_serving_process(tmp_path: Path) -> None:
    mentorbot(tmp_path, "demo")
    out = console(tmp_path, "/book", "1", "/mentorbot calendar")
    # The invite was written where the console says, and reads back as a calendar.
    [written] = re.findall(r"📎 (\S+\.ics)", out)
    invite = Calendar.from_ical((tmp_path / written).read_bytes())
    assert str(invite["METHOD"]) == "REQUEST"
    [event] = invite.walk("VEVENT")
    room = str(event["URL"])
    assert room.startswith("https://meet.school.example/m-")
    assert Renderer("fr", "Europe/Paris").text(Text("meeting.join_line", {"url": room})) in out
    [token] = FEED.findall(out)

    served = serve(["run"], env(tmp_path), tmp_path)
    try:
        status, body = feed(served, token)
        assert status == 200
        assert events(body) == {
            str(event["UID"]): ("CONFIRMED", event.decoded("DTSTART").isoformat())
        }
        assert (feed(served, token[:-1] + ("A" if token[-1] != "A" else "B"))) == (404, "")
        assert feed(served, "not-a-token") == (404, "")

        console(tmp_path, "/cancel", "1")  # the feed follows: the event is kept, cancelled
        status, body = feed(served, token)
        assert status == 200 and [s for s, _ in events(body).values()] == ["CANCELLED"]

        again = console(tmp_path, "/mentorbot calendar reset")
        [new_token] = FEED.findall(again)
        assert new_token != token
        assert feed(served, token) == (404, "")
        assert feed(served, new_token)[0] == 200
    finally:
        code, _ = served.stop()
    assert code == 0
