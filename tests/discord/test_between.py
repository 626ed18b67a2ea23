"""Between sessions on Discord: the contact rule, a question relayed to the mentor whose Reply
button opens a form, typed options for /ask, /contact and /reply."""

from __future__ import annotations

import asyncio
from datetime import time

from adapters.discord.render import DiscordRenderer
from bot.replies import Text
from bot.weekly import WeeklyHours
from tests.discord.conftest import LEA, MENTOR, SAM, Bot, World, delivering, discord_bot, run
from tests.discord.fake_discord import Call
from tests.discord.payloads import (
    INTEGER,
    click,
    command,
    form,
    interaction,
    option,
    person,
    resolved,
)
from tests.discord.test_booking import PARIS_FR, buttons

QUESTION = "Pouvez-vous relire mon diagramme de classes ?"
ANSWER = "Oui : séparez les entités des services, on en parle jeudi."
TORONTO_EN = DiscordRenderer("en", "America/Toronto")


async def dm_to(bot: Bot, who: tuple[int, str], count: int = 1) -> list[Call]:
    """The messages the outbox sent to this person's DM channel (polls, with a deadline)."""
    deadline = asyncio.get_running_loop().time() + 10
    while str(who[0]) not in bot.fake.dm_channels:  # opened just before the first message
        assert asyncio.get_running_loop().time() < deadline, f"no DM channel for {who[1]}"
        await asyncio.sleep(0.01)
    channel = bot.fake.dm_channels[str(who[0])]
    return await bot.fake.wait_for("POST", rf"/channels/{channel}/messages", count=count)


async def relayed_to_the_mentor(bot: Bot) -> Call:
    """The mentor lets questions through (`/contact async`); Léa asks; the mentor's DM."""
    rule = await bot.reply(interaction(2, command("contact", [option("rule", "async")]), MENTOR))
    assert rule.json["content"] == PARIS_FR.text(
        Text(
            "contact.set",
            {"rule": Text("contact.rule.async"), "scope": Text("contact.scope.all")},
        )
    )
    ask = command("ask", [option("question", QUESTION), option("topic", "mentor")])
    asked = await bot.reply(interaction(2, ask, LEA))
    assert asked.json["content"] == PARIS_FR.text(Text("ask.relayed"))
    [relayed] = await dm_to(bot, MENTOR)
    assert relayed.json["content"] == PARIS_FR.text(
        Text("question.relayed", {"id": 1, "student": "Léa Dubois", "text": QUESTION})
    )
    return relayed


def test_a_relayed_question_has_a_reply_button_whose_form_answers_the_student(
    world: World,
) -> None:
    async def scenario() -> None:
        async with discord_bot(world) as bot, delivering(world, bot):
            relayed = await relayed_to_the_mentor(bot)
            [button, for_advisor] = buttons(relayed.json)
            assert button["custom_id"] == "mb:v1:rq:1"  # ReplyToQuestion(1, "")
            assert for_advisor["custom_id"] == "mb:v1:rt:1"  # the mentor's correction
            assert button["label"] == PARIS_FR.text(Text("choice.reply", {"id": 1}))

            dm = bot.fake.dm_channels[str(MENTOR[0])]
            pressed = interaction(
                3, click(button["custom_id"]), MENTOR, dm=dm, message=relayed.response
            )
            opened = await bot.callback(pressed)
            assert opened.json["type"] == 9  # a form, as the first answer
            assert opened.json["data"]["custom_id"] == "mb:form:reply:1"
            assert opened.json["data"]["title"] == PARIS_FR.text(
                Text("discord.reply_form_title", {"id": 1})
            )
            [field] = opened.json["data"]["components"]
            assert field["label"] == PARIS_FR.text(Text("discord.reply_form_label"))
            assert field["component"]["custom_id"] == "text"
            assert not bot.client._connection._view_store._modals  # nothing kept in memory

            submitted = interaction(5, form("mb:form:reply:1", {"text": ANSWER}), MENTOR, dm=dm)
            sent = await bot.reply(submitted)
            assert sent.json["content"] == PARIS_FR.text(Text("question.answer_sent", {"id": 1}))
            [answered] = await dm_to(bot, LEA)
            assert answered.json["content"] == PARIS_FR.text(
                Text(
                    "question.answered",
                    {"mentor": "Camille Martin", "question": QUESTION, "answer": ANSWER},
                )
            )
            assert answered.json["allowed_mentions"]["users"] == [LEA[0]]

    run(scenario())


def test_a_reply_form_submitted_after_a_restart_still_answers(world: World) -> None:
    """The form's custom id carries the question: nothing was kept by the process that opened it."""
    world.programme.ok("mentor", "/contact async")
    world.programme.ok("lea", f"/ask topic=mentor {QUESTION}")

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            submitted = interaction(5, form("mb:form:reply:1", {"text": ANSWER}), MENTOR)
            sent = await bot.reply(submitted)
            assert sent.json["content"] == PARIS_FR.text(Text("question.answer_sent", {"id": 1}))

    run(scenario())


def test_contact_takes_a_window_for_one_student_picked_with_a_user_option(
    world: World,
) -> None:
    window = [
        option("rule", "window"),
        option("days", "mon-fri"),
        option("hours", "18:00-20:00"),
        person("student", LEA),
    ]

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            typed = command("contact", window, resolved=resolved(LEA))
            rule = await bot.reply(interaction(2, typed, MENTOR))
            weekdays = (0, 1, 2, 3, 4)
            hours = WeeklyHours(weekdays, time(18), time(20), "Europe/Paris", world.clock.now())
            detail = Text("contact.rule.window_hours", {"hours": hours})
            scope = Text("contact.scope.one", {"name": "Léa Dubois"})
            assert rule.json["content"] == PARIS_FR.text(
                Text("contact.set", {"rule": detail, "scope": scope})
            )
            menu = await bot.reply(interaction(2, command("contact"), MENTOR))
            assert [b["custom_id"] for b in buttons(menu.json)] == [
                "mb:v1:cr:none",
                "mb:v1:cr:async",
            ]

    run(scenario())


def test_ask_takes_a_topic_and_reply_without_an_answer_gets_the_cores_usage(
    world: World,
) -> None:
    world.programme.ok("mentor", "/contact async")
    world.programme.ok("lea", f"/ask topic=mentor {QUESTION}")

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            topic = await bot.reply(interaction(2, command("ask", [option("topic", "pause")]), SAM))
            assert topic.json["content"] == "\n".join(
                [
                    TORONTO_EN.text(Text("ask.redirected.pause")),
                    TORONTO_EN.text(
                        Text("ask.advisor_link", {"url": "https://school.example/advisor"})
                    ),
                ]
            )
            no_answer = command("reply", [option("question", 1, INTEGER)])
            usage = await bot.reply(interaction(2, no_answer, MENTOR))
            assert usage.json["content"] == PARIS_FR.text(
                Text("question.reply_usage", {"id": 1, "text": QUESTION})
            )
            unknown = command("reply", [option("question", 99, INTEGER), option("answer", "?")])
            refused = await bot.reply(interaction(2, unknown, MENTOR))
            assert refused.json["content"] == "⚠️ " + PARIS_FR.text(
                Text("question.not_found", {"id": 99})
            )

    run(scenario())


def test_a_reply_typed_with_its_answer_reaches_the_student(world: World) -> None:
    world.programme.ok("mentor", "/contact async")
    world.programme.ok("lea", f"/ask topic=mentor {QUESTION}")

    async def scenario() -> None:
        async with discord_bot(world) as bot, delivering(world, bot):
            typed = command("reply", [option("question", 1, INTEGER), option("answer", ANSWER)])
            sent = await bot.reply(interaction(2, typed, MENTOR))
            assert sent.json["content"] == PARIS_FR.text(Text("question.answer_sent", {"id": 1}))
            answers = await dm_to(bot, LEA)
            assert ANSWER in answers[-1].json["content"]

    run(scenario())
