"""`/availability`'s usage and help say what it accepts (issue 14): every subcommand the registry
declares (French words in French), day ranges and lists rather than one day, and each form they
show is read by the parser."""

from __future__ import annotations

import re

import pytest

from bot.i18n import LOCALES, Renderer
from bot.registry import REGISTRY
from bot.replies import Text
from tests.conftest import Programme

SPEC = REGISTRY.find("availability")
DAYS = {"fr": ("JOURS", "lun-ven"), "en": ("DAYS", "mon-fri")}


def _words(text: str) -> set[str]:
    return set(re.findall(r"[\w-]+", text))


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("key", ["usage.availability", "help.availability"])
def test_usage_and_help_name_every_subcommand_and_day_ranges(locale: str, key: str) -> None:
    assert SPEC is not None
    text = Renderer(locale, "Europe/Paris").text(Text(key))
    words = _words(text)
    for action in SPEC.actions:
        # English says the subcommand's name, French its French word.
        assert (action.name if locale == "en" else action.aliases[0]) in words, (action, text)
    plural, example = DAYS[locale]
    assert plural in words and example in words, text
    assert {"JOUR", "DAY"}.isdisjoint(words), text  # one day only: not what is accepted


def test_slacks_usage_hint_names_every_subcommand() -> None:
    assert SPEC is not None
    words = _words(SPEC.usage)
    assert {a.name for a in SPEC.actions} <= words and "DAYS" in words, SPEC.usage


@pytest.mark.parametrize(
    "line",
    [
        "ajouter lun-ven,dim 07:00-08:00",
        "remove mon-fri,sun 07:00-08:00",
        "absent 2026-12-24 2026-12-26",
        "retour 2026-12-24",
        "heures 08:00-21:00",
        "hours off",
        "heures aucune",
        "liste",
        "",
    ],
)
def test_each_form_the_usage_shows_is_accepted(programme: Programme, line: str) -> None:
    if line.startswith(("remove", "retour")):  # what they take back is there first
        programme.ok("mentor", "/availability absent 2026-12-24 2026-12-26")
        programme.ok("mentor", "/availability add lun-ven,dim 07:00-08:00")
    assert not programme.run("mentor", f"/availability {line}").is_error
