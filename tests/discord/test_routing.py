"""Who handles what on Discord, payloads through discord.py's own parser: each of the router's
outcomes, the student's one-click choice (the button's interaction, as the student), the
mentor's "for the advisor" button in his DM, and nothing relayed before the student chose.

`/route` is not in Discord's command tree: it is what the buttons carry (`mb:/route …`), and a
mentor or advisor who wants to type it has the console or Slack; the button path is proven here.
"""

from __future__ import annotations

from bot.replies import Text
from tests.discord.conftest import LEA, MENTOR, Bot, World, delivering, discord_bot, run
from tests.discord.payloads import click, command, interaction, option
from tests.discord.test_between import dm_to
from tests.discord.test_booking import PARIS_FR, buttons

URL = "https://school.example/advisor"
SURE_ADVISOR = "je voudrais une deuxième séance hebdomadaire"
SURE_MENTOR = "Je bloque sur la jointure SQL"
UNSURE = "probleme de connexion"


def say(key: str, **params: object) -> str:
    return PARIS_FR.text(Text(key, params))


def pending(world: World) -> int:
    """Messages waiting in the outbox: a relayed question would be one."""
    with world.app.database.uow() as uow:
        return uow.outbox.pending_count()


async def ask(bot: Bot, text: str) -> dict:  # type: ignore[type-arg]
    asked = await bot.reply(interaction(2, command("ask", [option("question", text)]), LEA))
    return {"json": asked.json, "response": asked.response}


def test_a_sure_advisor_question_gets_the_topic_and_the_link_and_is_not_relayed(
    world: World,
) -> None:
    world.programme.ok("mentor", "/contact async")

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            asked = await ask(bot, SURE_ADVISOR)
            content = asked["json"]["content"]
            assert say("ask.redirected.extra_session") in content
            assert say("ask.advisor_link", url=URL) in content
            assert not asked["json"].get("components")
            assert pending(world) == 0

    run(scenario())


def test_a_sure_mentor_question_is_relayed_and_the_mentor_sends_it_to_the_advisor(
    world: World,
) -> None:
    world.programme.ok("mentor", "/contact async")

    async def scenario() -> None:
        async with discord_bot(world) as bot, delivering(world, bot):
            asked = await ask(bot, SURE_MENTOR)
            assert asked["json"]["content"] == say("ask.relayed")
            [relayed] = await dm_to(bot, MENTOR)
            for_advisor = buttons(relayed.json)[1]
            assert for_advisor["custom_id"] == "mb:v1:rt:1"  # RouteQuestion(1, None)
            assert for_advisor["label"] == say("routing.choice.for_advisor")

            dm = bot.fake.dm_channels[str(MENTOR[0])]
            pressed = interaction(
                3, click(for_advisor["custom_id"]), MENTOR, dm=dm, message=relayed.response
            )
            done = await bot.reply(pressed)
            assert done.json["content"] == say("routing.redirected_by_mentor", id=1)
            [told] = await dm_to(bot, LEA)
            assert told.json["content"] == say(
                "routing.mentor_redirected",
                mentor="Camille Martin",
                question=SURE_MENTOR,
                topic=Text("ask.topic.admin"),
                url=URL,
            )

    run(scenario())


def test_an_unsure_question_waits_for_the_students_click_then_reaches_the_mentor(
    world: World,
) -> None:
    world.programme.ok("mentor", "/contact async")

    async def scenario() -> None:
        async with discord_bot(world) as bot, delivering(world, bot):
            asked = await ask(bot, UNSURE)
            assert asked["json"]["content"] == "\n".join(
                [say("routing.unsure"), say("routing.why")]
            )
            mentor, advisor = buttons(asked["json"])
            assert (mentor["custom_id"], advisor["custom_id"]) == (
                "mb:v1:rt:1:mentor",
                "mb:v1:rt:1",
            )
            assert mentor["label"] == say("routing.choice.mentor")
            assert pending(world) == 0  # nothing before the student chose
            assert str(MENTOR[0]) not in bot.fake.dm_channels

            pressed = interaction(3, click(mentor["custom_id"]), LEA, message=asked["response"])
            chose = await bot.reply(pressed)
            assert chose.json["content"] == say("ask.relayed")
            [relayed] = await dm_to(bot, MENTOR)
            assert relayed.json["content"] == say(
                "question.relayed", id=1, student="Léa Dubois", text=UNSURE
            )

    run(scenario())


def test_choosing_the_advisor_gives_the_link_and_relays_nothing(world: World) -> None:
    world.programme.ok("mentor", "/contact async")

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            asked = await ask(bot, UNSURE)
            advisor = buttons(asked["json"])[1]
            pressed = interaction(3, click(advisor["custom_id"]), LEA, message=asked["response"])
            chose = await bot.reply(pressed)
            assert say("ask.advisor_link", url=URL) in chose.json["content"]
            assert pending(world) == 0

    run(scenario())
