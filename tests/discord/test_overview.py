"""The advisors' view on Discord: the weekly digest arrives in the advisors' channel with its
chart attached (one request: the message and its file), and `/overview` for a school of 300
students stays within Discord's message limits."""

from __future__ import annotations

import asyncio

from adapters.discord.deliver import DiscordDeliverer
from bot import scheduled
from tests.big_programme import at_risk_school
from tests.discord.conftest import ADVISOR, LEA, World, discord_bot, run
from tests.discord.payloads import (
    ADVISORS_CHANNEL_ID,
    APP_ID,
    command,
    interaction,
    option,
    person,
    resolved,
)
from tests.programme_facts import NOW, build

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MESSAGE_LIMIT = 2000


def test_the_weekly_digest_carries_the_chart(world: World) -> None:
    build(world.programme)
    world.clock.set(NOW)
    with world.app.database.uow() as uow:
        scheduled.digest(uow, NOW, world.app.settings)

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            worker = world.app.outbox_worker(DiscordDeliverer(world.app, bot.client, timeout=10))
            assert await asyncio.to_thread(worker.drain) == 1
            [post] = bot.fake.find("POST", rf"/channels/{ADVISORS_CHANNEL_ID}/messages")
            [(name, content)] = post.files.items()
            assert name == "mentorbot-weeks-2026-12-02.png"
            assert content.startswith(PNG_MAGIC) and len(content) > 10_000
            assert post.json["content"]  # the digest's text, in the same message
            assert await asyncio.to_thread(worker.drain) == 0  # exactly once

    run(scenario())


def test_overview_fits_discords_limits_for_300_students(world: World) -> None:
    at_risk_school(world.programme, students=300, mentors=30)
    payload = interaction(2, command("overview"), ADVISOR)

    async def scenario() -> list[str]:
        async with discord_bot(world) as bot:
            await bot.interact(payload)
            await asyncio.sleep(0.5)  # every part of a long answer has arrived
            found = bot.fake.find("POST", rf"/webhooks/{APP_ID}/{payload['token']}")
            return [str(call.json["content"]) for call in found]

    messages = run(scenario())
    assert 1 <= len(messages) <= 2
    assert all(0 < len(m) <= MESSAGE_LIMIT for m in messages)
    shown = "\n".join(messages)
    assert "/students à-risque" in shown and "Student With A Rather Long Name" in shown


def test_export_and_erase_from_typed_options(world: World) -> None:
    build(world.programme)
    world.clock.set(NOW)
    kind = [option("kind", "sessions"), option("from", "2026-11-23"), option("to", "2026-12-06")]
    export = interaction(2, command("export", kind), ADVISOR)
    erase = command("person", [person("person", LEA)], subcommand="erase", resolved=resolved(LEA))
    refused = interaction(2, erase, LEA)

    async def scenario() -> tuple[str, str]:
        async with discord_bot(world) as bot:
            exported = await bot.reply(export)
            erased = await bot.reply(refused)
            return str(exported.json["content"]), str(erased.json["content"])

    exported, erased = run(scenario())
    assert "10" in exported  # the rows; the CSV follows by DM
    assert "n’est pas ouverte à votre rôle" in erased  # a student erases nobody
    with world.app.database.uow() as uow:
        assert uow.people.by_email("lea@school.example") is not None
