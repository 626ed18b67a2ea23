"""The command registry: every command declared once, and what is derived from it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import discord
import pytest
from discord import app_commands

from adapters.discord import command_tree
from adapters.slack.forms import form_for
from adapters.slack.manifest import manifest
from bot import commands as c
from bot.context import Context
from bot.domain import Role
from bot.errors import UserError
from bot.parsing import command_names, parse
from bot.registry import REGISTRY, Help, Kind, Option, Spec
from bot.replies import Reply
from bot.vocabulary import CATEGORIES, WEEKDAYS

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class Survey:
    """A command that exists only in this test process."""

    rating: int | None


def _answer_survey(ctx: Context, command: Survey) -> Reply:
    return Reply.say("survey.thanks", rating=command.rating)


def _parse_survey(text: str, zone: ZoneInfo) -> c.Command:
    return Survey(int(text) if text.strip() else None)  # type: ignore[return-value]


SURVEY = Spec(
    "survey",
    _parse_survey,
    frozenset({Role.STUDENT}),
    {Survey: _answer_survey},
    lambda v: Survey(v.number("rating")),  # type: ignore[arg-type,return-value]
    (Option("rating", Kind.INT, minimum=1, maximum=5),),
    help=(Help("help.survey"),),
    usage="[RATING]",
)


@contextmanager
def throw_away(spec: Spec) -> Iterator[Spec]:
    """Declared for the test only: nothing else is edited."""
    REGISTRY.add(spec)
    try:
        yield spec
    finally:
        REGISTRY.remove(spec.name)


# The commands the hand-kept HANDLERS table had (each later command comes with its own test).
FIRST_COMMANDS = [
    "BookSession",
    "ListSessions",
    "CancelSession",
    "MoveSession",
    "AddAvailability",
    "RemoveAvailability",
    "AddTimeOff",
    "ListAvailability",
    "ShowHelp",
    "SetTimezone",
    "SetLanguage",
    "IssueLinkCode",
    "RedeemLinkCode",
    "SetContactRule",
    "AskQuestion",
    "ReplyToQuestion",
    "RouteQuestion",
    "RaiseAlert",
    "ListAlerts",
    "AcknowledgeAlert",
    "ResolveAlert",
    "ShowAlertDetails",
    "AnswerCheckin",
    "RecordAttendance",
    "RecordDefenseOutcome",
    "BookDefense",
    "ShowProgress",
    "SetPersonStatus",
]


def test_every_command_type_has_its_handler_declared() -> None:
    for name in FIRST_COMMANDS:
        assert callable(REGISTRY.handler(getattr(c, name))), name


def test_a_command_is_declared_once() -> None:
    with pytest.raises(ValueError):
        REGISTRY.add(Spec("book", _parse_survey))


def test_a_throw_away_command_reaches_the_parser_help_discord_and_the_manifest() -> None:
    with throw_away(SURVEY):
        assert "survey" in command_names()
        assert parse("/survey", "4", PARIS) == Survey(4)
        assert REGISTRY.handler(Survey) is _answer_survey
        assert "help.survey" in REGISTRY.help_keys(frozenset({Role.STUDENT}))
        assert "help.survey" not in REGISTRY.help_keys(frozenset({Role.MENTOR}))
        assert "    - command: /survey\n" in manifest()
        assert 'usage_hint: "[RATING]"' in manifest()
        assert discord_command("survey") == {
            "name": "survey",
            "type": 1,
            "options": [{"name": "rating", "type": 4, "min_value": 1, "max_value": 5}],
        }
    assert "survey" not in command_names()
    assert "/survey" not in manifest()
    assert discord_command("survey") is None
    with pytest.raises(UserError):
        parse("/survey", "4", PARIS)


def discord_command(name: str) -> dict[str, object] | None:
    """The command as the Discord tree built from the registry would sync it (its main fields)."""
    tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(
        discord.Client(intents=discord.Intents.none())
    )
    command_tree.register(tree, handler=None)  # type: ignore[arg-type]  # never called here
    found = tree.get_command(name)
    if found is None:
        return None
    payload = found.to_dict(tree)
    options = [
        {k: o[k] for k in ("name", "type", "min_value", "max_value") if k in o}
        for o in payload["options"]
    ]
    return {"name": payload["name"], "type": payload["type"], "options": options}


def test_help_follows_the_roles_in_the_registrys_order() -> None:
    student = REGISTRY.help_keys(frozenset({Role.STUDENT}))
    assert student[:2] == ["help.book", "help.defense_book"]
    assert student[-2:] == ["help.settings", "help.link"]
    advisor = REGISTRY.help_keys(frozenset({Role.ADVISOR}))
    assert {"help.alerts", "help.pause", "help.route", "help.progress"} <= set(advisor)
    assert "help.book" not in advisor


@pytest.mark.parametrize("word", ["resolve", "resoudre", "résoudre", "close", "clore"])
def test_every_synonym_of_an_action_is_read_the_same(word: str) -> None:
    assert parse("alerts", f"{word} 3 done", PARIS) == c.ResolveAlert(3, "done")


@pytest.mark.parametrize("word", ["resolve", "resoudre", "close", "clore"])
def test_the_resolve_form_opens_for_every_synonym(word: str) -> None:
    """Slack once opened it for four words and Discord for one: both read the registry now."""
    assert form_for(f"/alerts {word} 3") == ("resolve", ["3"])


def test_vocabularies_read_both_languages() -> None:
    assert CATEGORIES.lookup("Plagiat") == CATEGORIES.lookup("plagiarism") == "plagiarism"
    assert WEEKDAYS.lookup("mercredi") == WEEKDAYS.lookup("Wed") == "wed"
    assert WEEKDAYS.lookup("someday") is None
