"""The command reference as application commands: synced with French and English names and
typed options, and each option reaching the core as the text it parses."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import time
from typing import Any

from adapters.discord.render import DiscordRenderer
from adapters.discord.runner import start
from bot.registry import REGISTRY
from bot.replies import Text
from tests.discord.conftest import LEA, MENTOR, SAM, TOKEN, World, discord_bot, run, serving
from tests.discord.fake_discord import APP_ID
from tests.discord.payloads import (
    BOOLEAN,
    GUILD_ID,
    INTEGER,
    STRING,
    SUB_COMMAND,
    USER,
    command,
    interaction,
    option,
)
from tests.discord.test_booking import PARIS_FR

NAME = re.compile(r"^[-_\w]{1,32}$")  # Discord's rule for command and option names
COMMAND_TEXT_LIMIT = 4000  # names, descriptions and choices of one command, per language
BOOKING = {"book", "sessions", "cancel", "move", "availability", "mentorbot"}
BETWEEN = {"ask", "contact", "reply", "escalate", "checkin", "notes"}
ADVISORS = {"alerts", "pause", "resume"}
PATHS = {"progress", "defense"}
# Every command the registry declares with typed options (`/route` and `/help` have none).
ON_DISCORD = {spec.name for spec in REGISTRY if spec.on_discord}
AUTONYMS = {"Français", "English"}  # language choices are shown in their own language


def synced(world: World, guild_id: int | None) -> list[dict[str, Any]]:
    """What `mentorbot discord` sends Discord at start (login, then a bulk overwrite)."""

    settings = world.app.settings.model_copy(update={"discord_guild_id": guild_id})
    app = replace(world.app, settings=settings)

    async def scenario() -> None:
        async with serving(world.fake):
            client = await start(app, TOKEN)
            await client.close()

    run(scenario())
    [put] = world.fake.find("PUT", r"/applications/.*")
    where = f"/guilds/{guild_id}" if guild_id else ""
    assert put.path == f"/applications/{APP_ID}{where}/commands"
    return list(put.json)


def by_name(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in items}


def walk(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for item in items:
        yield item
        yield from walk(item.get("options", []) + item.get("choices", []))


def test_commands_sync_to_the_development_guild_in_french_and_english(world: World) -> None:
    commands = by_name(synced(world, GUILD_ID))
    assert set(commands) == ON_DISCORD >= BOOKING | BETWEEN | ADVISORS | PATHS
    book = commands["book"]
    assert book["name_localizations"] == {"fr": "réserver", "en-US": "book", "en-GB": "book"}
    assert book["description_localizations"]["fr"].startswith("Réserver une séance")
    date, at, kind = book["options"]
    assert (date["name"], date["type"], date["autocomplete"], date["required"]) == (
        "date",
        3,
        True,
        False,
    )
    assert at["name_localizations"]["fr"] == "heure"
    assert (kind["name"], kind["required"]) == ("kind", False)
    assert [c["value"] for c in kind["choices"]] == ["session", "defense"]
    assert by_name(commands["move"]["options"])["session"]["required"] is True
    assert by_name(commands["cancel"]["options"])["session"]["type"] == INTEGER
    add = by_name(commands["availability"]["options"])["add"]
    day = by_name(add["options"])["day"]
    assert [c["value"] for c in day["choices"]] == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    assert day["choices"][0]["name_localizations"]["fr"] == "lundi"
    link = by_name(by_name(commands["mentorbot"]["options"])["link"]["options"])
    assert link["person"]["type"] == USER
    assert link["person"]["name_localizations"]["fr"] == "personne"


def test_without_a_guild_commands_sync_globally(world: World) -> None:
    assert {c["name"] for c in synced(world, None)} == ON_DISCORD


def test_every_name_and_description_is_translated_within_discord_limits(world: World) -> None:
    for item in walk(synced(world, GUILD_ID)):
        if item["name"] in AUTONYMS:
            continue
        names = item["name_localizations"]
        assert set(names) == {"fr", "en-US", "en-GB"}, item["name"]
        if "value" in item:  # a choice: a label, not a name
            assert all(0 < len(n) <= 100 for n in names.values())
            continue
        assert all(NAME.match(n) and n == n.lower() for n in names.values()), names
        descriptions = item["description_localizations"]
        assert set(descriptions) == {"fr", "en-US", "en-GB"}, item["name"]
        assert all(0 < len(d) <= 100 for d in descriptions.values()), descriptions


def test_each_command_fits_discords_total_text_limit_in_every_language(world: World) -> None:
    for command_ in synced(world, GUILD_ID):
        for locale in ("fr", "en-US"):
            size = sum(
                len((item.get("name_localizations") or {}).get(locale, item["name"]))
                + len((item.get("description_localizations") or {}).get(locale, ""))
                for item in walk([command_])
            )
            assert size <= COMMAND_TEXT_LIMIT, (command_["name"], locale, size)


def test_the_commands_between_sessions_have_typed_translated_options(world: World) -> None:
    commands = by_name(synced(world, GUILD_ID))
    french = {
        name: commands[name]["name_localizations"]["fr"] for name in BETWEEN | ADVISORS | PATHS
    }
    assert french == {
        "ask": "demander",
        "contact": "contact",
        "reply": "répondre",
        "escalate": "signaler",
        "checkin": "point-hebdo",
        "notes": "notes",
        "alerts": "alertes",
        "pause": "pause",
        "resume": "reprendre",
        "progress": "progression",
        "defense": "soutenance",
    }
    ask = by_name(commands["ask"]["options"])
    assert [c["value"] for c in ask["topic"]["choices"]][:2] == ["mentor", "resources"]
    assert not ask["question"]["required"] and not ask["topic"]["required"]
    contact = by_name(commands["contact"]["options"])
    assert [c["value"] for c in contact["rule"]["choices"]] == ["none", "async", "window"]
    assert contact["student"]["type"] == USER and not contact["student"]["required"]
    reply = commands["reply"]["options"]
    assert [(o["name"], o["type"], o["required"]) for o in reply] == [
        ("question", INTEGER, True),
        ("answer", STRING, False),
    ]
    escalate = commands["escalate"]["options"]
    assert [(o["name"], o["required"]) for o in escalate] == [
        ("category", True),
        ("student", True),
        ("summary", True),
        ("details", False),
    ]
    plagiarism = escalate[0]["choices"][-1]
    assert plagiarism["value"] == "plagiarism"
    assert plagiarism["name_localizations"]["fr"] == PARIS_FR.text(Text("category.plagiarism"))
    confidence = by_name(commands["checkin"]["options"])["confidence"]
    assert (confidence["type"], confidence["min_value"], confidence["max_value"]) == (INTEGER, 1, 5)
    notes = by_name(commands["notes"]["options"])
    assert notes["session"]["autocomplete"] is True and notes["session"]["required"] is True
    assert [c["value"] for c in notes["attendance"]["choices"]] == ["present", "absent", "late"]
    assert [(o["name"], o["type"], o["required"]) for o in commands["notes"]["options"][2:]] == [
        ("progress", STRING, False),
        ("improve", STRING, False),
        ("goals", STRING, False),
        ("ready", BOOLEAN, False),
    ]
    assert notes["improve"]["name_localizations"]["fr"] == "à-améliorer"


def test_progress_and_defense_have_typed_translated_options(world: World) -> None:
    commands = by_name(synced(world, GUILD_ID))
    [student] = commands["progress"]["options"]
    assert (student["name"], student["type"], student["required"]) == ("student", USER, False)
    defense = commands["defense"]["options"]
    assert [(o["name"], o["type"], o["required"]) for o in defense] == [
        ("session", INTEGER, True),
        ("outcome", STRING, True),
        ("items", STRING, False),
    ]
    assert [c["value"] for c in defense[1]["choices"]] == ["validated", "rework"]
    assert defense[1]["choices"][1]["name_localizations"]["fr"] == "À retravailler"


def test_the_advisors_commands_are_subcommands_and_user_options(world: World) -> None:
    commands = by_name(synced(world, GUILD_ID))
    alerts = commands["alerts"]["options"]
    assert [(a["name"], a["type"]) for a in alerts] == [
        ("list", SUB_COMMAND),
        ("ack", SUB_COMMAND),
        ("resolve", SUB_COMMAND),
        ("details", SUB_COMMAND),
    ]
    assert [a["name_localizations"]["fr"] for a in alerts] == [
        "liste",
        "prendre",
        "résoudre",
        "détails",
    ]
    listing = by_name(alerts[0]["options"])
    scopes = ["open", "new", "acknowledged", "resolved", "all"]
    assert [c["value"] for c in listing["scope"]["choices"]] == scopes
    assert listing["student"]["type"] == USER and listing["mentor"]["type"] == USER
    assert "plagiarism" in [c["value"] for c in listing["category"]["choices"]]
    assert listing["page"]["min_value"] == 1
    assert [(o["name"], o["required"]) for o in alerts[2]["options"]] == [
        ("alert", True),
        ("note", True),
    ]
    for status in ("pause", "resume"):
        [student] = commands[status]["options"]
        assert (student["type"], student["required"]) == (USER, True)
        assert student["name_localizations"]["fr"] == "étudiant"


def answer(world: World, who: tuple[int, str], data: dict[str, Any]) -> str:
    async def scenario() -> str:
        async with discord_bot(world) as bot:
            return str((await bot.reply(interaction(2, data, who))).json["content"])

    return run(scenario())


def test_availability_options_reach_the_core(world: World) -> None:
    window = [option("day", "fri"), option("start", "14:00"), option("end", "16:00")]
    added = answer(world, MENTOR, command("availability", window, subcommand="add"))
    assert added == PARIS_FR.text(
        Text(
            "availability.added",
            {"day": Text("day.fri"), "starts": time(14), "ends": time(16), "zone": "Europe/Paris"},
        )
    )
    days_off = [option("first", "2026-12-24"), option("last", "2026-12-26")]
    off = answer(world, MENTOR, command("availability", days_off, subcommand="off"))
    assert off.startswith(
        PARIS_FR.text(Text("availability.off_added", {"first": _day(24), "last": _day(26)}))
    )
    listed = answer(world, MENTOR, command("availability", subcommand="list"))
    assert PARIS_FR.text(Text("day.fri")) in listed
    removed = answer(world, MENTOR, command("availability", window, subcommand="remove"))
    assert removed.startswith(
        PARIS_FR.text(
            Text(
                "availability.removed",
                {"day": Text("day.fri"), "starts": time(14), "ends": time(16)},
            )
        )
    )
    refused = answer(world, LEA, command("availability", subcommand="list"))
    assert refused == "⚠️ " + PARIS_FR.text(Text("error.not_allowed"))


def _day(day: int) -> Any:
    from datetime import date

    return date(2026, 12, day)


def test_mentorbot_options_reach_the_core_and_the_answer_follows_the_new_language(
    world: World,
) -> None:
    helped = answer(world, SAM, command("mentorbot", subcommand="help"))
    assert helped.startswith(
        DiscordRenderer("en", "America/Toronto").text(Text("help.title", {"name": "Sam Taylor"}))
    )
    french = answer(
        world, SAM, command("mentorbot", [option("language", "fr")], subcommand="language")
    )
    assert french == PARIS_FR.text(Text("language.set.fr"))
    zone = answer(
        world, SAM, command("mentorbot", [option("zone", "Europe/Paris")], subcommand="timezone")
    )
    assert zone == PARIS_FR.text(Text("timezone.set", {"zone": "Europe/Paris"}))
    assert world.app.core.person(world.programme.people["sam"].id).timezone == "Europe/Paris"
