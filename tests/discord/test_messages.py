"""Direct messages are /ask; what people type never pings anyone nor formats the message; a
failure of ours is logged and answered with an apology."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy import text

from adapters.discord.render import DiscordRenderer, contents
from bot.core import Core
from bot.replies import Reply, Text
from storage.database import Database
from tests.discord.conftest import LEA, STRANGER, World, discord_bot, run
from tests.discord.payloads import command, direct_message, interaction, option
from tests.discord.test_booking import PARIS_FR, buttons

DM_CHANNEL = 960000000000000001


def answered_without_discord(
    world: World, tmp_path: Path, who: str, name: str, arguments: str
) -> Reply:
    """What the core answers in a copy of the database: the reply Discord must show."""
    source = world.app.database.engine.url.database
    assert source is not None
    copy = tmp_path / "twin.db"
    with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(copy)) as target:
        original.backup(target)
    twin = Database(f"sqlite:///{copy}")
    try:
        core = Core(twin.uow, world.app.clock, world.app.settings)
        return core.run(world.programme.people[who].id, name, arguments)
    finally:
        twin.dispose()


def test_a_direct_message_is_asked_as_ask(world: World, tmp_path: Path) -> None:
    question = "Pouvez-vous relire mon diagramme de classes ?"
    expected = answered_without_discord(world, tmp_path, "lea", "ask", question)

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            bot.feed("MESSAGE_CREATE", direct_message(LEA, DM_CHANNEL, question))
            [answer] = await bot.fake.wait_for("POST", rf"/channels/{DM_CHANNEL}/messages")
            assert [answer.json["content"]] == contents(expected, PARIS_FR)
            assert answer.json["allowed_mentions"] == {"parse": []}

    run(scenario())


def test_a_direct_message_from_an_unknown_account_offers_the_link_form(world: World) -> None:
    async def scenario() -> None:
        async with discord_bot(world) as bot:
            bot.feed("MESSAGE_CREATE", direct_message(STRANGER, DM_CHANNEL, "bonjour"))
            [answer] = await bot.fake.wait_for("POST", rf"/channels/{DM_CHANNEL}/messages")
            assert answer.json["content"] == PARIS_FR.text(Text("link.unlinked"))
            assert [b["custom_id"] for b in buttons(answer.json)] == ["mb:link-code"]

    run(scenario())


def test_everyone_typed_by_a_user_pings_nobody_and_markdown_is_shown_as_typed(
    world: World,
) -> None:
    async def scenario() -> None:
        async with discord_bot(world) as bot:
            typed = command("mentorbot", [option("zone", "@everyone")], subcommand="timezone")
            answer = await bot.reply(interaction(2, typed, LEA))
            assert "@\u200beveryone" in answer.json["content"]  # inert from the core too
            assert answer.json["allowed_mentions"] == {"parse": []}
            bold = command("mentorbot", [option("zone", "**Paris**")], subcommand="timezone")
            escaped = await bot.reply(interaction(2, bold, LEA))
            assert r"\*\*Paris\*\*" in escaped.json["content"]
            bot.feed("MESSAGE_CREATE", direct_message(STRANGER, DM_CHANNEL, "@everyone @here"))
            [dm] = await bot.fake.wait_for("POST", rf"/channels/{DM_CHANNEL}/messages")
            assert dm.json["allowed_mentions"] == {"parse": []}

    run(scenario())


def test_a_failure_of_ours_is_answered_with_an_apology(world: World) -> None:
    with world.app.database.engine.begin() as connection:  # the database is in trouble
        connection.execute(text("ALTER TABLE sessions RENAME TO sessions_gone"))

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            answer = await bot.reply(interaction(2, command("sessions"), LEA))
            assert answer.json["content"] == DiscordRenderer("fr", "Europe/Paris").text(
                Text("error.internal")
            )

    run(scenario())
