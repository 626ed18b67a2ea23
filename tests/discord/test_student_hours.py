"""`/availability hours` on Discord: the subcommand and its typed options, named in French and
English, reach the core (earliest and latest as times, `none` as a boolean)."""

from __future__ import annotations

from datetime import time
from typing import Any

from bot.replies import Text
from tests.discord.conftest import MENTOR, World
from tests.discord.payloads import BOOLEAN, command, option
from tests.discord.test_booking import PARIS_FR
from tests.discord.test_commands import answer, by_name, synced


def test_the_hours_subcommand_is_synced_with_translated_options(world: World) -> None:
    availability = by_name(synced(world, None))["availability"]
    hours = by_name(availability["options"])["hours"]
    assert hours["name_localizations"]["fr"] == "heures"
    options: dict[str, Any] = by_name(hours["options"])
    assert set(options) == {"earliest", "latest", "off"}
    assert options["earliest"]["name_localizations"]["fr"] == "au_plus_tôt"
    assert options["off"]["name_localizations"] == {
        "fr": "aucune",
        "en-US": "off",
        "en-GB": "off",
    }
    assert options["off"]["type"] == BOOLEAN


def test_hours_options_reach_the_core(world: World) -> None:
    hours = [option("earliest", "08:00"), option("latest", "21:00")]
    set_ = answer(world, MENTOR, command("availability", hours, subcommand="hours"))
    assert set_ == PARIS_FR.text(Text("hours.set", {"earliest": time(8), "latest": time(21)}))
    shown = answer(world, MENTOR, command("availability", subcommand="hours"))
    assert shown == PARIS_FR.text(Text("hours.line", {"earliest": time(8), "latest": time(21)}))
    off = [option("off", True, BOOLEAN)]
    removed = answer(world, MENTOR, command("availability", off, subcommand="hours"))
    assert removed == PARIS_FR.text(Text("hours.removed"))
