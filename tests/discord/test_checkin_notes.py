"""The weekly check-in (a form unless every option is typed; the prompt's button opens it too)
and `/notes` after a session (its number suggested, attendance as a choice)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from adapters.discord.deliver import DiscordDeliverer
from bot.commands import AnswerCheckin
from bot.domain import Checkin, Notification, ProjectStatus, SessionStatus
from bot.i18n import Renderer
from bot.replies import Choice, Text
from bot.services.paths import import_paths
from tests.discord.conftest import LEA, MENTOR, World, discord_bot, run
from tests.discord.payloads import BOOLEAN, INTEGER, click, command, form, interaction, option
from tests.discord.test_booking import PARIS_FR, autocompleted, buttons

SLOT = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)  # Wednesday 14:00 in Paris


def checkins(world: World, who: str) -> list[Checkin]:
    with world.app.database.uow() as uow:
        return uow.checkins.recent(world.programme.people[who].id)


def fields(opened: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """A form's labels and inputs, by the input's custom id."""
    return {
        label["component"]["custom_id"]: (label["label"], label["component"])
        for label in opened["data"]["components"]
    }


def test_checkin_without_options_opens_a_form_whose_answers_are_recorded(world: World) -> None:
    async def scenario() -> None:
        async with discord_bot(world) as bot:
            opened = await bot.callback(interaction(2, command("checkin"), LEA))
            assert opened.json["type"] == 9
            assert opened.json["data"]["custom_id"] == "mb:form:checkin"
            assert opened.json["data"]["title"] == PARIS_FR.text(Text("discord.checkin_form_title"))
            inputs = fields(opened.json)
            assert list(inputs) == ["progress", "confidence", "blockers", "goal"]
            label, confidence = inputs["confidence"]
            assert label == PARIS_FR.text(Text("discord.checkin_confidence"))
            assert [o["value"] for o in confidence["options"]] == ["1", "2", "3", "4", "5"]
            assert inputs["blockers"][1]["required"] is False

            answers = {
                "progress": "Maquette finie | API commencée",
                "blockers": "",
                "goal": "Brancher la base",
            }
            submitted = form("mb:form:checkin", answers, {"confidence": ["4"]})
            thanks = await bot.reply(interaction(5, submitted, LEA))
            assert thanks.json["content"] == PARIS_FR.text(
                Text("checkin.thanks", {"goal": "Brancher la base"})
            )
        [answered] = checkins(world, "lea")
        assert (answered.confidence, answered.progress, answered.blockers, answered.goal) == (
            4,
            "Maquette finie | API commencée",  # as typed: a form's fields are never re-parsed
            "",
            "Brancher la base",
        )

    run(scenario())


def test_checkin_with_every_option_is_answered_at_once_and_a_partial_one_prefills_the_form(
    world: World,
) -> None:
    typed = [
        option("confidence", 2, INTEGER),
        option("progress", "Tests écrits"),
        option("blockers", "Docker"),
        option("goal", "CI verte"),
    ]

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            partial = await bot.callback(interaction(2, command("checkin", typed[:2]), LEA))
            inputs = fields(partial.json)
            assert inputs["progress"][1]["value"] == "Tests écrits"
            assert [o["value"] for o in inputs["confidence"][1]["options"] if o["default"]] == ["2"]
            assert checkins(world, "lea") == []
            thanks = await bot.reply(interaction(2, command("checkin", typed), LEA))
            assert thanks.json["content"] == PARIS_FR.text(
                Text("checkin.thanks", {"goal": "CI verte"})
            )
        [answered] = checkins(world, "lea")
        assert (answered.confidence, answered.blockers) == (2, "Docker")

    run(scenario())


def test_the_weekly_prompts_button_opens_the_same_form(world: World) -> None:
    with world.app.database.uow() as uow:
        uow.outbox.add(
            Notification(
                idempotency_key="test:checkin",
                recipient_id=world.programme.people["lea"].id,
                key="checkin.prompt",
                choices=(Choice(Text("choice.checkin"), AnswerCheckin(None)),),
            ),
            world.clock.now(),
        )
        uow.commit()

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            worker = world.app.outbox_worker(DiscordDeliverer(world.app, bot.client, timeout=10))
            assert await asyncio.to_thread(worker.drain) == 1
            dm = bot.fake.dm_channels[str(LEA[0])]
            [prompt] = bot.fake.find("POST", rf"/channels/{dm}/messages")
            [button] = buttons(prompt.json)
            pressed = interaction(
                3, click(button["custom_id"]), LEA, dm=dm, message=prompt.response
            )
            opened = await bot.callback(pressed)
            assert opened.json["data"]["custom_id"] == "mb:form:checkin"

    run(scenario())


def test_notes_suggests_the_sessions_to_note_and_records_a_no_show(world: World) -> None:
    world.programme.ok("lea", "/book 2026-11-25 14:00")
    world.clock.advance(days=2, hours=6)  # Wednesday 16:00 in Paris: the session is over

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            typing = command("notes", [option("session", "", INTEGER, focused=True)])
            suggested = autocompleted(await bot.callback(interaction(4, typing, MENTOR)))
            label = Renderer("fr", "Europe/Paris").text(
                Text("choice.session", {"id": 1, "when": SLOT})
            )
            assert suggested == [(label, 1)]
            assert autocompleted(await bot.callback(interaction(4, typing, LEA))) == []

            bare = await bot.reply(
                interaction(2, command("notes", [option("session", 1, INTEGER)]), MENTOR)
            )
            assert [b["custom_id"] for b in buttons(bare.json)] == [
                "mb:v1:at:1:present",
                "mb:v1:at:1:absent",
                "mb:v1:at:1:late",
            ]
            absent = [option("session", 1, INTEGER), option("attendance", "absent")]
            recorded = await bot.reply(interaction(2, command("notes", absent), MENTOR))
            assert recorded.json["content"] == PARIS_FR.text(
                Text("attendance.recorded.absent", {"id": 1})
            )
            with world.app.database.uow() as uow:
                session = uow.sessions.get(1)
            assert session is not None and session.status == SessionStatus.NO_SHOW
            assert autocompleted(await bot.callback(interaction(4, typing, MENTOR))) == []

    run(scenario())


def test_notes_fields_as_options_reach_the_core_and_mark_the_student_ready(world: World) -> None:
    """Each field its own option, handed to the core as typed fields (a typed `|` stays one:
    nothing is joined into a line and split again)."""
    with world.app.database.uow() as uow:
        import_paths(uow, "web.yaml", "name: Web\nprojects:\n  - code: W1\n    title: P1\n")
        uow.commit()
    world.programme.ok("lea", "/book 2026-11-25 14:00")
    world.clock.advance(days=2, hours=6)
    typed = [
        option("session", 1, INTEGER),
        option("attendance", "present"),
        option("progress", "Maquette finie | API"),
        option("improve", "les tests"),
        option("goals", "Soutenir W1"),
        option("ready", True, BOOLEAN),
    ]

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            recorded = await bot.reply(interaction(2, command("notes", typed), MENTOR))
            lines = recorded.json["content"].splitlines()
            assert lines[0] == PARIS_FR.text(Text("attendance.recorded.present", {"id": 1}))
            assert PARIS_FR.text(Text("notes.ready", {"project": "P1"})) in lines

    run(scenario())
    lea = world.programme.people["lea"].id
    with world.app.database.uow() as uow:
        assert uow.paths.progress(lea)[0].status == ProjectStatus.READY
        notes = uow.notes.latest(lea)
    assert notes is not None
    assert (notes.progress, notes.improvements, notes.goals, notes.ready_for_defense) == (
        "Maquette finie | API",
        "les tests",
        "Soutenir W1",
        True,
    )
