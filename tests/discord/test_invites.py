"""Calendar invites on Discord: each party's DM is its message with the `.ics` attached (one
request: both arrive or neither); a file Discord refuses still leaves the message, sent once."""

from __future__ import annotations

import asyncio

from icalendar import Calendar

from bot.replies import Text
from tests.discord.conftest import LEA, MENTOR, World, discord_bot, run
from tests.discord.fake_discord import Call
from tests.discord.payloads import command, option
from tests.discord.test_booking import PARIS_FR
from tests.discord.test_commands import answer
from tests.discord.test_delivery import MESSAGES, pending, worker

TOO_LARGE = {"message": "Request entity too large", "code": 40005}


def dm_posts(world: World, who: tuple[int, str]) -> list[Call]:
    channel = world.fake.dm_channels[str(who[0])]
    return [
        c for c in world.fake.find("POST", MESSAGES) if c.path == f"/channels/{channel}/messages"
    ]


def test_each_party_gets_the_message_with_its_invite_attached(world: World) -> None:
    world.programme.ok("lea", "/book 2026-11-26 09:00")

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            assert await asyncio.to_thread(worker(world, bot).drain) == 2
        for who in (LEA, MENTOR):
            [post] = dm_posts(world, who)
            assert list(post.files) == ["session-1.ics"]
            calendar = Calendar.from_ical(post.files["session-1.ics"])
            assert str(calendar["METHOD"]) == "REQUEST"
            [event] = calendar.walk("VEVENT")
            assert event.decoded("DTSTART").isoformat() == "2026-11-26T09:00:00+01:00"
            assert "#1" in post.json["content"]
        assert pending(world) == 0

    run(scenario())


def test_a_refused_file_still_delivers_the_message_once(world: World) -> None:
    world.programme.ok("lea", "/book 2026-11-26 09:00")

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            bot.fake.fail_next("POST", MESSAGES, 413, TOO_LARGE)  # the first DM's, with its file
            delivering = worker(world, bot)
            assert await asyncio.to_thread(delivering.drain) == 2
            assert await asyncio.to_thread(delivering.drain) == 0
        refused, sent = dm_posts(world, MENTOR)  # told first: the other party of the booking
        assert (refused.status, list(refused.files)) == (413, ["session-1.ics"])
        assert (sent.status, sent.files) == (200, {})
        assert sent.json["content"] == refused.json["content"]
        [lea] = dm_posts(world, LEA)  # her invite was not refused
        assert (lea.status, list(lea.files)) == (200, ["session-1.ics"])
        assert pending(world) == 0

    run(scenario())


def test_the_meeting_and_calendar_subcommands_reach_the_core(world: World) -> None:
    room = "https://visio.example.org/camille"
    told = answer(world, MENTOR, command("mentorbot", [option("url", room)], subcommand="meeting"))
    assert told == PARIS_FR.text(Text("meeting.set", {"url": room, "sessions": 0}))
    shown = answer(world, MENTOR, command("mentorbot", subcommand="meeting"))
    assert shown == PARIS_FR.text(Text("meeting.current", {"url": room}))
    # No public address in this programme: the feed says so, in the reader's language.
    feed = answer(world, LEA, command("mentorbot", [option("reset", True)], subcommand="calendar"))
    assert feed == "⚠️ " + PARIS_FR.text(Text("calendar.not_served"))
