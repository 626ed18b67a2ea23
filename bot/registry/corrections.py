"""`/correct`: a recorded attendance, notes or defense outcome changed after the fact, with
its reason (`bot.services.corrections`)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot import commands as c
from bot.errors import UserError
from bot.registry.model import ADVISOR, MENTOR, VALIDATOR, Help, Kind, Option, Spec
from bot.registry.values import Values
from bot.registry.words import number
from bot.timeparse import fold
from bot.vocabulary import CORRECTIONS, NO, YES

REASON = " -- "


def parse_correct(text: str, zone: ZoneInfo) -> c.Command:
    """`SESSION VALUE [ITEMS | NOTES] -- REASON`; the reason is what follows ` -- `."""
    head, _, reason = f" {text.strip()} ".partition(REASON)
    words = head.split(maxsplit=2)
    if len(words) < 2:
        raise UserError("usage.correct")
    value = CORRECTIONS.read(words[1])
    rest = words[2].strip() if len(words) > 2 else None
    notes = _notes(rest) if value == "notes" else None
    items = rest if value == "rework" else None
    return c.CorrectOutcome(number(words[0], "usage.correct"), value, reason.strip(), items, notes)


def _notes(text: str | None) -> c.NotesFields:
    parts = [part.strip() for part in (text or "").split("|")]
    if len(parts) != 4 or fold(parts[3]) not in YES | NO:
        raise UserError("usage.correct")
    return c.NotesFields(parts[0], parts[1], parts[2], fold(parts[3]) in YES)


def _build(v: Values) -> c.Command:
    value = CORRECTIONS.read(v.raw("value"))
    session = v.required_number("session", "usage.correct")
    return c.CorrectOutcome(session, value, v.raw("reason").strip(), v.text("items"))


SPECS = (
    Spec(
        "correct",
        parse_correct,
        MENTOR | VALIDATOR | ADVISOR,
        {c.CorrectOutcome: "corrections.correct"},
        _build,
        (
            Option("session", Kind.INT, required=True, describe="session_correct"),
            Option("value", Kind.CHOICE, required=True, vocabulary=CORRECTIONS),
            Option("reason", Kind.TEXT, required=True, max_length=500),
            Option("items", Kind.LONG_TEXT),
        ),
        help=(Help("help.correct"),),
        usage="SESSION VALUE [items] -- reason",
    ),
)
