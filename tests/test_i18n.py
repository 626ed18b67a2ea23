"""The catalogue: every key in both languages, same placeholders, and every key the code uses."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from bot.domain import (
    AlertCategory,
    ContactRule,
    Decision,
    PersonStatus,
    SessionKind,
    Topic,
)
from bot.i18n import LOCALES, Renderer, catalogue, placeholders
from bot.registry import REGISTRY
from bot.replies import Text

ATTENDANCE = ("present", "absent", "late")
ROOT = Path(__file__).resolve().parents[1]
# Keys built at run time, from a value the code controls.
DYNAMIC = {
    "language.set.fr",
    "language.set.en",
    "cancel.pick_session",
    "move.pick_session",
    *(f"sessions.line.{kind.value}" for kind in SessionKind),
    *(f"ask.topic.{topic.value}" for topic in Topic),
    *(f"ask.redirected.{topic.value}" for topic in Topic if topic != Topic.MENTOR),
    *(f"category.{category.value}" for category in AlertCategory),
    *(f"decision.{decision.value}" for decision in Decision),
    *(f"contact.rule.{rule.value}" for rule in ContactRule if rule != ContactRule.WINDOW),
    *(f"day.{day}" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")),
    *(f"attendance.{kind}.{a}" for kind in ("choice", "recorded") for a in ATTENDANCE),
    *(f"reminder.host.{kind.value}" for kind in SessionKind),
    *(f"status.{status.value}" for status in PersonStatus),
}


def keys_used_in_code() -> set[str]:
    pattern = re.compile(r'"((?:[a-z]+)\.[a-z_]+(?:\.[a-z_]+)?)"')
    prefixes = {key.split(".")[0] for key in catalogue("en")}
    found = set()
    for folder in ("bot", "adapters"):
        for path in (ROOT / folder).rglob("*.py"):
            for key in pattern.findall(path.read_text(encoding="utf-8")):
                if key.split(".")[0] in prefixes:
                    found.add(key)
    return found


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    french, english = catalogue("fr"), catalogue("en")
    assert french.keys() == english.keys()
    for key in french:
        assert placeholders(french[key]) == placeholders(english[key]), key


def handler_names() -> set[str]:
    """The registry's handlers declared by name ("booking.book"): strings of a key's shape
    that are not catalogue keys."""
    return {
        handler
        for spec in REGISTRY
        for handles in (spec.handles, *(action.handles for action in spec.actions))
        for handler in handles.values()
        if isinstance(handler, str)
    }


def test_every_key_the_code_uses_is_translated() -> None:
    used = (keys_used_in_code() - handler_names()) | DYNAMIC
    assert len(used) > 60
    for locale in LOCALES:
        missing = used - catalogue(locale).keys()
        assert not missing, (locale, missing)


def test_values_are_rendered_for_the_reader() -> None:
    when = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    text = Text("booking.booked", {"id": 3, "when": when, "minutes": 45, "mentor": "Camille"})
    assert Renderer("fr", "Europe/Paris").text(text) == (
        "Séance #3 réservée avec Camille\u202f: jeu. 26 nov. 2026 10:00 (45 min)."
    )
    assert Renderer("en", "America/Toronto").text(text) == (
        "Session #3 booked with Camille: Thu 26 Nov 2026 04:00 (45 min)."
    )
    assert Renderer("fr", "UTC").text(Text("booking.too_soon", {"hours": 1.5})) == (
        "Trop tard pour ce créneau\u202f: réservez au moins 1,5 h à l’avance."
    )


def test_an_unknown_locale_falls_back_to_the_first_language() -> None:
    assert Renderer("de", "UTC").text(Text("sessions.none")) == "Aucune séance à venir."
