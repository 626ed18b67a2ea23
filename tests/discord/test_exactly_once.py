"""A direct message is answered once per message id: when discord.py is handed the same
MESSAGE_CREATE again (a RESUME replay), and when two clients sharing one database both get it
from the gateway (Discord sends every event to every session of a token)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

import pytest

from adapters.bootstrap import App
from bot.core import Core
from storage.database import Database
from tests.discord.conftest import LEA, SAM, World, discord_bot, run, serving
from tests.discord.payloads import direct_message
from tests.discord.test_gateway import hosting, on_gateway, online, school_gateway, session_of

DM_CHANNEL = 960000000000000021
SKIPPED = "already handled: skipped"


async def skipped(caplog: pytest.LogCaptureFixture, count: int = 1) -> None:
    """Wait for the handler to say it skipped `count` repeats (then no answer can follow)."""
    for _ in range(1000):
        if sum(SKIPPED in r.getMessage() for r in caplog.records) >= count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"no {count} skipped repeat(s) logged")


def another_process(world: World) -> App:
    """The same programme through its own engine, as a second replica would reach it."""
    database = Database(world.app.settings.database_url)
    core = Core(database.uow, world.app.clock, world.app.settings)
    return replace(world.app, database=database, core=core)


def test_the_same_message_twice_is_answered_once(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="adapters.discord.handler")
    message = direct_message(LEA, DM_CHANNEL, "Pouvez-vous relire mon rapport ?")

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            bot.feed("MESSAGE_CREATE", message)
            await bot.fake.wait_for("POST", rf"/channels/{DM_CHANNEL}/messages")
            bot.feed("MESSAGE_CREATE", dict(message))  # replayed after a RESUME
            await skipped(caplog)
            other = direct_message(LEA, DM_CHANNEL, "Et ma bibliographie ?")
            bot.feed("MESSAGE_CREATE", other)  # a new message id is a new question
            await bot.fake.wait_for("POST", rf"/channels/{DM_CHANNEL}/messages", count=2)
            assert len(bot.fake.find("POST", rf"/channels/{DM_CHANNEL}/messages")) == 2

    run(scenario())


def test_a_restarted_client_does_not_answer_again(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Remembered in the database, not in the client: a new process knows it too."""
    caplog.set_level(logging.INFO, logger="adapters.discord.handler")
    message = direct_message(SAM, DM_CHANNEL, "Une question sur le projet 3")

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            bot.feed("MESSAGE_CREATE", message)
            await bot.fake.wait_for("POST", rf"/channels/{DM_CHANNEL}/messages")
        async with discord_bot(world) as restarted:
            restarted.feed("MESSAGE_CREATE", message)
            await skipped(caplog)
        assert len(world.fake.find("POST", rf"/channels/{DM_CHANNEL}/messages")) == 1

    run(scenario())


def test_two_clients_on_one_gateway_and_one_database_answer_a_dm_once(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="adapters.discord.handler")
    gateway = school_gateway()
    first = on_gateway(world.app, gateway)
    second = on_gateway(another_process(world), gateway)

    async def scenario() -> None:
        async with (
            serving(world.fake),
            hosting(gateway),
            online(first) as one,
            online(second) as two,
        ):
            await session_of(one, gateway)
            await session_of(two, gateway)
            await gateway.wait_identified(2)
            message = direct_message(LEA, DM_CHANNEL, "Pouvez-vous relire mon rapport ?")
            assert len(await gateway.dispatch("MESSAGE_CREATE", message)) == 2
            await world.fake.wait_for("POST", rf"/channels/{DM_CHANNEL}/messages")
            await skipped(caplog)
            assert len(world.fake.find("POST", rf"/channels/{DM_CHANNEL}/messages")) == 1

    try:
        run(scenario())
    finally:
        second.database.dispose()
