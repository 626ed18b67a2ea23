"""Paths and defenses on Discord: `/progress`, `/defense` and `/book` with the defense kind."""

from __future__ import annotations

from adapters.discord.render import DiscordRenderer
from bot.replies import Text
from bot.services.paths import import_paths
from tests.discord.conftest import LEA, MENTOR, SAM, World, discord_bot, run
from tests.discord.payloads import INTEGER, command, interaction, option, person, resolved
from tests.discord.test_booking import PARIS_FR

TORONTO_EN = DiscordRenderer("en", "America/Toronto")  # Sam's
WEB = "name: Web\nprojects:\n  - code: W1\n    title: P1\n"


def load_web_path(world: World) -> None:
    with world.app.database.uow() as uow:
        import_paths(uow, "web.yaml", WEB)
        uow.commit()


def test_progress_by_a_student_answers_with_her_path(world: World) -> None:
    load_web_path(world)

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            answered = await bot.reply(interaction(2, command("progress"), LEA))
            assert answered.json["content"].splitlines()[:2] == [
                PARIS_FR.text(Text("progress.title", {"name": "Léa Dubois", "path": "Web"})),
                PARIS_FR.text(
                    Text(
                        "progress.project",
                        {
                            "position": 1,
                            "code": "W1",
                            "title": "P1",
                            "status": Text("project.in_progress"),
                        },
                    )
                ),
            ]

    run(scenario())


def test_progress_for_a_picked_student_reaches_the_core_as_a_mention(world: World) -> None:
    load_web_path(world)
    picked = command("progress", [person("student", LEA)], resolved=resolved(LEA))

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            mentor = await bot.reply(interaction(2, picked, MENTOR))
            assert mentor.json["content"].splitlines()[0] == PARIS_FR.text(
                Text("progress.title", {"name": "Léa Dubois", "path": "Web"})
            )
            refused = await bot.reply(interaction(2, picked, SAM))  # another student
            assert refused.json["content"] == "⚠️ " + TORONTO_EN.text(Text("error.not_allowed"))

    run(scenario())


def test_book_defense_and_defense_outcome_reach_the_core(world: World) -> None:
    load_web_path(world)
    booking = command("book", [option("kind", "defense")])
    outcome = command("defense", [option("session", 1, INTEGER), option("outcome", "validated")])

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            not_ready = await bot.reply(interaction(2, booking, LEA))
            assert not_ready.json["content"] == "⚠️ " + PARIS_FR.text(Text("defense.not_ready"))
            not_one = await bot.reply(interaction(2, outcome, MENTOR))
            assert not_one.json["content"] == "⚠️ " + PARIS_FR.text(
                Text("session.not_found", {"id": 1})
            )

    run(scenario())
