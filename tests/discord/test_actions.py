"""Issue 12 on Discord, payloads through discord.py's own parser: custom ids carry actions, not
command lines; what people type in the forms those buttons open arrives as typed (`|`, ` -- `,
`¦`, long text); buttons and queued messages from before the change still work."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot import actions
from bot.commands import AcknowledgeAlert, ReplyToQuestion, ResolveAlert, RouteQuestion
from bot.domain import Notification
from bot.replies import Text
from tests.discord.conftest import ADVISOR, LEA, MENTOR, Bot, World, delivering, discord_bot, run
from tests.discord.fake_discord import Call, bot_message
from tests.discord.payloads import ADVISORS_CHANNEL_ID, click, command, form, interaction, option
from tests.discord.payloads import person as user_option
from tests.discord.payloads import resolved as resolved_users
from tests.discord.test_alerts import CHANNEL_MESSAGES, deliver
from tests.discord.test_between import dm_to
from tests.discord.test_booking import PARIS_FR, SLOT, buttons
from tests.legacy_buttons import HOSTILE_TEXT, queue_with_legacy_choices

SUMMARY = "Absente -- deux fois | sans nouvelles ¦ " + "x" * 200


def say(key: str, **params: object) -> str:
    return PARIS_FR.text(Text(key, params))


async def escalate(world: World, bot: Bot, summary: str = SUMMARY) -> Call:
    """The mentor's `/escalate` with typed options; returns the advisors channel's post."""
    options = [
        option("category", "absence"),
        user_option("student", LEA),
        option("summary", summary),
    ]
    options.append(option("details", "a -- b | c ¦ d"))
    raised = await bot.reply(
        interaction(2, command("escalate", options, resolved=resolved_users(LEA)), MENTOR)
    )
    assert not raised.json["content"].startswith("⚠️"), raised.json["content"]
    await deliver(world, bot)
    return bot.fake.find("POST", CHANNEL_MESSAGES)[-1]


def in_channel(posted: Call, kind: int, data: dict[str, Any]) -> dict[str, Any]:
    return interaction(kind, data, ADVISOR, channel_id=ADVISORS_CHANNEL_ID, message=posted.response)


async def resolve_with_the_form(bot: Bot, posted: Call, custom_id: str, note: str) -> None:
    opened = await bot.callback(in_channel(posted, 3, click(custom_id)))
    assert opened.json["type"] == 9 and opened.json["data"]["custom_id"] == "mba:form:resolve:1"
    done = await bot.reply(in_channel(posted, 5, form("mba:form:resolve:1", {"text": note})))
    assert done.json["content"] == say("alert.resolved", id=1)


LEGACY = ["mba:/alerts ack 1", "mba:/alerts resolve 1", "mba:/alerts details 1"]


def with_ids(message: dict[str, Any], ids: list[str]) -> dict[str, Any]:
    """The message with its buttons' custom ids replaced, in order (as an older release, or
    a forger, would have them)."""
    remaining = iter(ids)
    rows = [
        {
            **row,
            "components": [
                {**b, "custom_id": next(remaining, b["custom_id"])} for b in row["components"]
            ],
        }
        for row in message["components"]
    ]
    return {**message, "components": rows}


def resolution(world: World) -> tuple[str, str | None]:
    with world.app.database.uow() as uow:
        alert = uow.alerts.get(1)
    assert alert is not None
    return alert.summary, alert.resolution_note


def test_an_alerts_custom_ids_are_short_actions_and_a_typed_note_survives(world: World) -> None:
    async def scenario() -> None:
        async with discord_bot(world) as bot:
            posted = await escalate(world, bot)
            ids = [b["custom_id"] for b in buttons(posted.json)]
            assert ids == ["mba:v1:aa:1", "mba:v1:ar:1", "mba:v1:ad:1"]
            assert [actions.decode(i.removeprefix("mba:")) for i in ids[:2]] == [
                AcknowledgeAlert(1),
                ResolveAlert(1, ""),
            ]
            await resolve_with_the_form(bot, posted, ids[1], HOSTILE_TEXT)
            assert resolution(world) == (SUMMARY, HOSTILE_TEXT)

    run(scenario())


def test_an_answer_typed_after_the_reply_button_reaches_the_student_as_typed(
    world: World,
) -> None:
    question = "Mon API | mes routes -- ¦ " + "q" * 300
    world.programme.ok("mentor", "/contact async")
    world.programme.ok("lea", f"/ask topic=mentor {question}")

    async def scenario() -> None:
        async with discord_bot(world) as bot, delivering(world, bot):
            [relayed] = await dm_to(bot, MENTOR)
            reply, route = (b["custom_id"] for b in buttons(relayed.json))
            assert (reply, route) == ("mb:v1:rq:1", "mb:v1:rt:1")
            assert actions.decode("v1:rq:1") == ReplyToQuestion(1, "")
            assert actions.decode("v1:rt:1") == RouteQuestion(1, None)
            dm = bot.fake.dm_channels[str(MENTOR[0])]
            opened = await bot.callback(
                interaction(3, click(reply), MENTOR, dm=dm, message=relayed.response)
            )
            assert opened.json["data"]["custom_id"] == "mb:form:reply:1"
            submitted = interaction(
                5, form("mb:form:reply:1", {"text": HOSTILE_TEXT}), MENTOR, dm=dm
            )
            sent = await bot.reply(submitted)
            assert sent.json["content"] == say("question.answer_sent", id=1)
            [answered] = await dm_to(bot, LEA)
            assert "mercredi, a" in answered.json["content"]
        with world.app.database.uow() as uow:
            stored = uow.questions.get(1)
        assert stored is not None and (stored.text, stored.answer) == (question, HOSTILE_TEXT)

    run(scenario())


def test_a_message_posted_before_the_change_still_clicks(world: World) -> None:
    """Its custom ids are command lines (`mba:/alerts ack 1`), and so are a queued row's."""

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            posted = await escalate(world, bot, "Absente")
            old = Notification(
                "legacy:1", None, "alert.acknowledged", {"id": 1}, channel="advisors:discord"
            )
            lines = [
                ("choice.acknowledge", "/alerts ack 1"),
                ("choice.details", "/alerts details 1"),
            ]
            queue_with_legacy_choices(world.app.database, old, lines, world.clock.now())
            await deliver(world, bot)
            requeued = bot.fake.find("POST", CHANNEL_MESSAGES)[-1]
            assert [b["custom_id"] for b in buttons(requeued.json)] == [
                "mba:v1:aa:1",
                "mba:v1:ad:1",
            ]

            before = replace(posted, response=with_ids(posted.response, LEGACY))
            acked = await bot.reply(in_channel(before, 3, click("mba:/alerts ack 1")))
            assert acked.json["content"] == say("alert.acknowledged", id=1)
            await resolve_with_the_form(bot, before, "mba:/alerts resolve 1", "Famille | ok")
            assert resolution(world) == ("Absente", "Famille | ok")

    run(scenario())


def test_a_forged_custom_id_is_answered_no_longer_valid(world: World) -> None:
    async def scenario() -> None:
        async with discord_bot(world) as bot:
            posted = await escalate(world, bot, "Absente")
            forged = ["mba:v1:aa:x", "mb:v9:aa:1", "mba:/escalate absence <@1> forged"]
            message = with_ids(posted.response, forged)
            for custom_id in forged:
                pressed = interaction(
                    3, click(custom_id), ADVISOR, channel_id=ADVISORS_CHANNEL_ID, message=message
                )
                answer = await bot.reply(pressed)
                assert answer.json["content"] == "⚠️ " + say(actions.STALE)

    run(scenario())


def test_a_menu_posted_before_the_change_still_picks(world: World) -> None:
    """A select menu's option values were command lines (`/cancel 1`)."""
    world.programme.ok("lea", "/book 2026-11-25 14:00")
    option_ = {"label": "Annuler la séance #1", "value": "/cancel 1"}
    menu = {"type": 3, "custom_id": "mb:pick:0", "options": [option_]}
    body = {"content": "…", "components": [{"type": 1, "components": [menu]}]}
    message = bot_message("970000000000000001", "930000000000000002", body)

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            picked = interaction(3, click("mb:pick:0", ["/cancel 1"]), LEA, message=message)
            cancelled = await bot.reply(picked)
            assert cancelled.json["content"] == say("cancel.done", id=1, when=SLOT)

    run(scenario())
