"""Alerts on Discord: a mentor escalates (a user option picks the student), the advisors channel
gets the summary but never the private details, and an advisor resolves through a form whose
submission edits the channel message. Students are refused the advisors' commands."""

from __future__ import annotations

import asyncio
from typing import Any

from adapters.discord.deliver import DiscordDeliverer
from bot.domain import PersonStatus
from bot.replies import Text
from tests.discord.conftest import ADVISOR, LEA, MENTOR, SAM, Bot, World, discord_bot, run
from tests.discord.fake_discord import Call
from tests.discord.payloads import (
    ADVISORS_CHANNEL_ID,
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

SUMMARY = "Absent deux fois sans prévenir -- pas de nouvelles"
DETAILS = "Hospitalisation de sa mère, confidentiel"
CHANNEL_MESSAGES = rf"/channels/{ADVISORS_CHANNEL_ID}/messages"


def escalation(details: str | None = DETAILS) -> dict[str, Any]:
    options = [option("category", "absence"), person("student", LEA), option("summary", SUMMARY)]
    if details is not None:
        options.append(option("details", details))
    return command("escalate", options, resolved=resolved(LEA))


def status(world: World, who: str) -> PersonStatus:
    found = world.app.core.person(world.programme.people[who].id)
    assert found is not None
    return found.status


async def deliver(world: World, bot: Bot) -> int:
    """Run the outbox once through the Discord deliverer, as the delivery thread would."""
    worker = world.app.outbox_worker(DiscordDeliverer(world.app, bot.client, timeout=10))
    return await asyncio.to_thread(worker.drain)


async def escalated(world: World, bot: Bot) -> Call:
    """Léa's mentor raises an absence alert; the advisors channel gets its post."""
    raised = await bot.reply(interaction(2, escalation(), MENTOR))
    assert raised.json["content"] == PARIS_FR.text(
        Text("alert.raised", {"id": 1, "category": Text("category.absence")})
    )
    assert await deliver(world, bot) == 1
    [posted] = bot.fake.find("POST", CHANNEL_MESSAGES)
    return posted


def test_escalate_posts_the_summary_to_the_advisors_without_the_private_details(
    world: World,
) -> None:
    async def scenario() -> None:
        async with discord_bot(world) as bot:
            posted = await escalated(world, bot)
            content = posted.json["content"]
            public = SUMMARY  # as typed: " -- " in a summary option is not the separator
            assert PARIS_FR.text(Text("category.absence")) in content
            assert "Léa Dubois" in content and public in content
            assert DETAILS not in content and "confidentiel" not in content
            assert posted.json["allowed_mentions"] == {"parse": []}
            assert [b["custom_id"] for b in buttons(posted.json)] == [
                "mba:v1:aa:1",
                "mba:v1:ar:1",
                "mba:v1:ad:1",
            ]
            pressed = interaction(
                3,
                click("mba:v1:ad:1"),
                ADVISOR,
                channel_id=ADVISORS_CHANNEL_ID,
                message=posted.response,
            )
            private = await bot.reply(pressed)  # (checked ephemeral)
            assert private.json["content"] == PARIS_FR.text(
                Text("alert.details", {"id": 1, "details": DETAILS})
            )

    run(scenario())


def test_the_resolve_button_opens_a_form_whose_note_resolves_and_edits_the_post(
    world: World,
) -> None:
    async def scenario() -> None:
        async with discord_bot(world) as bot:
            posted = await escalated(world, bot)

            def in_channel(kind: int, data: dict[str, Any]) -> dict[str, Any]:
                return interaction(
                    kind, data, ADVISOR, channel_id=ADVISORS_CHANNEL_ID, message=posted.response
                )

            opened = await bot.callback(in_channel(3, click("mba:v1:ar:1")))
            assert opened.json["type"] == 9
            assert opened.json["data"]["custom_id"] == "mba:form:resolve:1"
            assert opened.json["data"]["title"] == PARIS_FR.text(
                Text("discord.resolve_form_title", {"id": 1})
            )
            note = "Vu avec Léa : séances reportées d’une semaine."
            submitted = in_channel(5, form("mba:form:resolve:1", {"text": note}))
            done = await bot.reply(submitted)
            assert done.json["content"] == PARIS_FR.text(Text("alert.resolved", {"id": 1}))

            assert await deliver(world, bot) == 2  # the post edited; the mentor told, by DM
            [edited] = bot.fake.find("PATCH", CHANNEL_MESSAGES + r"/\d+")
            assert edited.path == f"{CHANNEL_MESSAGES}/{posted.response['id']}"
            resolved_by = Text(
                "alert.status.resolved", {"by": "Nadia Benali", "when": world.clock.now()}
            )
            assert PARIS_FR.text(resolved_by) in edited.json["content"]
            assert [b["custom_id"] for b in buttons(edited.json)] == ["mba:v1:ad:1"]
            assert len(bot.fake.find("POST", CHANNEL_MESSAGES)) == 1  # edited, not reposted
            with world.app.database.uow() as uow:
                alert = uow.alerts.get(1)
            assert alert is not None and alert.resolution_note == note

    run(scenario())


def test_students_are_refused_the_advisors_commands_and_buttons(world: World) -> None:
    refusal = "⚠️ " + PARIS_FR.text(Text("error.not_allowed"))

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            posted = await escalated(world, bot)
            listing = await bot.reply(interaction(2, command("alerts", subcommand="list"), LEA))
            assert listing.json["content"] == refusal
            details = command("alerts", [option("alert", 1, INTEGER)], subcommand="details")
            assert (await bot.reply(interaction(2, details, LEA))).json["content"] == refusal
            pause = command("pause", [person("student", SAM)], resolved=resolved(SAM))
            assert (await bot.reply(interaction(2, pause, LEA))).json["content"] == refusal
            # No form for them: the button is refused before anything is typed.
            pressed = interaction(
                3,
                click("mba:v1:ar:1"),
                LEA,
                channel_id=ADVISORS_CHANNEL_ID,
                message=posted.response,
            )
            assert (await bot.reply(pressed)).json["content"] == refusal
            assert status(world, "sam") == PersonStatus.ACTIVE

    run(scenario())


def test_advisors_list_acknowledge_and_pause_with_typed_options(world: World) -> None:
    async def scenario() -> None:
        async with discord_bot(world) as bot:
            await escalated(world, bot)
            mine = [option("scope", "all"), person("student", LEA)]
            listing = command("alerts", mine, subcommand="list", resolved=resolved(LEA))
            listed = await bot.reply(interaction(2, listing, ADVISOR))
            page = PARIS_FR.text(Text("alerts.page", {"first": 1, "last": 1, "total": 1}))
            assert listed.json["content"].startswith(page + "\n#1 · ")
            assert (
                PARIS_FR.text(Text("audit.title", {"name": "Léa Dubois"}))
                in (listed.json["content"])
            )
            ack = command("alerts", [option("alert", 1, INTEGER)], subcommand="ack")
            acknowledged = await bot.reply(interaction(2, ack, ADVISOR))
            assert acknowledged.json["content"] == PARIS_FR.text(
                Text("alert.acknowledged", {"id": 1})
            )
            typed = [option("alert", 1, INTEGER), option("note", "Réglé par téléphone.")]
            resolve = command("alerts", typed, subcommand="resolve")
            done = await bot.reply(interaction(2, resolve, ADVISOR))
            assert done.json["content"] == PARIS_FR.text(Text("alert.resolved", {"id": 1}))

            pause = command("pause", [person("student", SAM)], resolved=resolved(SAM))
            paused = await bot.reply(interaction(2, pause, ADVISOR))
            assert paused.json["content"] == PARIS_FR.text(
                Text("status.paused", {"name": "Sam Taylor"})
            )
            assert status(world, "sam") == PersonStatus.PAUSED
            resume = command("resume", [person("student", SAM)], resolved=resolved(SAM))
            await bot.reply(interaction(2, resume, ADVISOR))
            assert status(world, "sam") == PersonStatus.ACTIVE

    run(scenario())
