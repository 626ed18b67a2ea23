"""What the bot does not recognise is answered, not left to Discord's "This interaction
failed": a button, menu or form from an older release (or forged), and a command whose
definition changed since the last sync (logged as a warning, without a traceback)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.i18n import Renderer
from bot.replies import Text
from tests.discord.conftest import LEA, STRANGER, World, discord_bot, run
from tests.discord.fake_discord import bot_message
from tests.discord.payloads import EPHEMERAL, click, command, form, interaction, option

FR = Renderer("fr", "Europe/Paris")
EN = Renderer("en", "Europe/Paris")
DM_CHANNEL = 960000000000000031


def a_message_with(custom_id: str, component_type: int = 2) -> dict[str, Any]:
    """A message of the bot's carrying one component, as Discord attaches it to a click."""
    component: dict[str, Any] = {"type": component_type, "custom_id": custom_id}
    if component_type == 2:
        component.update(label="Mes séances", style=2)
    else:
        component["options"] = [{"label": "A", "value": "a"}]
    rows = [{"type": 1, "components": [component]}]
    body = {"content": "…", "components": rows}
    return bot_message("970000000000000001", "930000000000000002", body)


def stale_note(renderer: Renderer, key: str = "discord.stale_interaction") -> dict[str, Any]:
    return {
        "type": 4,
        "data": {
            "tts": False,
            "content": renderer.text(Text(key)),
            "flags": EPHEMERAL,
            "allowed_mentions": {"parse": []},
        },
    }


@pytest.mark.parametrize(
    ("custom_id", "component_type"),
    [("v0:book:2026-11-30T10:00", 2), ("mb-old|sessions", 2), ("v0:pick:0", 3)],
)
def test_a_click_on_an_unknown_component_is_answered_with_a_short_note(
    world: World, custom_id: str, component_type: int
) -> None:
    values = None if component_type == 2 else ["a"]
    payload = interaction(
        3, click(custom_id, values), LEA, message=a_message_with(custom_id, component_type)
    )

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            answer = await bot.callback(payload)
            assert answer.json == stale_note(FR)

    run(scenario())


def test_the_note_is_in_the_clicker_s_discord_language(world: World) -> None:
    payload = interaction(
        3, click("forged"), STRANGER, locale="en-US", dm=DM_CHANNEL, message=a_message_with("x")
    )

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            answer = await bot.callback(payload)
            assert answer.json == stale_note(EN)

    run(scenario())


def test_a_known_button_is_answered_by_its_item_only(world: World) -> None:
    """Not double-answered: the dynamic item defers and replies, the note is not sent."""
    custom_id = "mb:/sessions"
    payload = interaction(3, click(custom_id), LEA, message=a_message_with(custom_id))

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            [followup] = await bot.interact(payload)
            assert followup.json["content"]
            [callback] = bot.callbacks(payload)
            assert callback.json["type"] == 5  # the deferral, and nothing else

    run(scenario())


def test_one_of_our_ids_on_a_component_of_another_type_is_answered_too(world: World) -> None:
    """discord.py drops a click its dynamic item's pattern matches when the message has no
    component of that type and id: the note answers it instead of "This interaction failed"."""
    custom_id = "mb:/sessions"  # our button's id, arriving as a select menu's
    payload = interaction(3, click(custom_id, ["a"]), LEA, message=a_message_with("other", 3))

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            answer = await bot.callback(payload)
            assert answer.json == stale_note(FR)

    run(scenario())


def test_a_form_this_release_does_not_know_is_answered_with_a_short_note(world: World) -> None:
    payload = interaction(5, form("mb:form:retired-form:12", {"text": "bonjour"}), LEA)

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            answer = await bot.callback(payload)
            assert answer.json == stale_note(FR)

    run(scenario())


@pytest.mark.parametrize(
    "data",
    [
        command("retired-command", [option("texte", "bonjour")]),  # CommandNotFound
        command("mentorbot"),  # a group invoked as a command: CommandSignatureMismatch
        command("mentorbot", subcommand="retired-subcommand"),  # CommandNotFound
    ],
)
def test_a_command_that_changed_since_the_sync_gets_a_note_and_a_warning_only(
    world: World, data: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    payload = interaction(2, data, LEA)

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            answer = await bot.callback(payload)
            assert answer.json == stale_note(FR, "discord.stale_command")

    run(scenario())
    ours = [r for r in caplog.records if r.name.startswith("adapters.")]
    assert [(r.levelno, r.exc_info) for r in ours] == [(logging.WARNING, None)]
    assert "no longer matches" in ours[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_autocomplete_for_a_command_that_changed_gets_no_suggestions(world: World) -> None:
    typed = command("retired-command", [option("texte", "bon", focused=True)])
    payload = interaction(4, typed, LEA)

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            answer = await bot.callback(payload)
            assert answer.json == {"type": 8, "data": {"choices": []}}

    run(scenario())
