"""Following a student's work: `/checkin`, `/notes`, `/defense`, `/progress`."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot import commands as c
from bot.domain import CheckinAnswer
from bot.errors import UserError
from bot.registry.model import (
    ADVISOR,
    MENTOR,
    STUDENT,
    VALIDATOR,
    Field,
    Form,
    Help,
    Kind,
    Option,
    Spec,
)
from bot.registry.values import Values
from bot.registry.words import is_person, number
from bot.timeparse import fold
from bot.vocabulary import ATTENDANCE, CONFIDENCE, NO, OUTCOMES, YES

SESSION = Option("session", Kind.INT, required=True)


def parse_checkin(text: str, zone: ZoneInfo) -> c.Command:
    """`CONFIDENCE PROGRESS | BLOCKERS | GOAL`, e.g. `4 API done | none | tests`."""
    text = text.strip()
    if not text:
        return c.AnswerCheckin(None)
    confidence, _, rest = text.partition(" ")
    if confidence not in CONFIDENCE.values():
        raise UserError("checkin.bad_confidence", value=confidence)
    parts = [p.strip() for p in rest.split("|")]
    if len(parts) != 3:
        raise UserError("checkin.usage")
    progress_, blockers, goal = parts
    return c.AnswerCheckin(CheckinAnswer(progress_, int(confidence), blockers, goal))


def _build_checkin(v: Values) -> c.Command:
    """The answers as typed (a `|` in one stays a `|`); none at all: the form."""
    confidence = v.number("confidence", "checkin.bad_confidence")
    if confidence is None or not v.given_all("progress", "goal"):
        return c.AnswerCheckin(None)
    progress_, blockers, goal = (v.raw(name).strip() for name in ("progress", "blockers", "goal"))
    return c.AnswerCheckin(CheckinAnswer(progress_, confidence, blockers, goal))


def parse_notes(text: str, zone: ZoneInfo) -> c.Command:
    """`SESSION [present|absent|late] [PROGRESS | TO IMPROVE | GOALS | READY (yes/no)]`."""
    words = text.split(maxsplit=2)
    if not words:
        raise UserError("usage.notes")
    attendance = ATTENDANCE.read(words[1]) if len(words) > 1 else None
    notes = _notes_fields(words[2]) if len(words) > 2 else None
    return c.RecordAttendance(number(words[0], "usage.notes"), attendance, notes)


def _notes_fields(text: str) -> c.NotesFields:
    parts = [part.strip() for part in text.split("|")]
    if len(parts) != 4 or fold(parts[3]) not in YES | NO:
        raise UserError("usage.notes")
    return c.NotesFields(parts[0], parts[1], parts[2], fold(parts[3]) in YES)


def _build_notes(v: Values) -> c.Command:
    """The fields are options of their own; written notes only when one of them is given."""
    written = None
    if v.has("progress", "improve", "goals") or v.flag("ready") is not None:
        progress_, improve, goals = (v.raw(name) for name in ("progress", "improve", "goals"))
        written = c.NotesFields(progress_, improve, goals, bool(v.flag("ready")))
    attendance = v.choice("attendance", ATTENDANCE)
    return c.RecordAttendance(v.required_number("session", "usage.notes"), attendance, written)


def parse_defense(text: str, zone: ZoneInfo) -> c.Command:
    """`SESSION validated|rework [ITEMS]`, French words too."""
    words = text.split(maxsplit=2)
    if len(words) < 2:
        raise UserError("usage.defense")
    outcome = OUTCOMES.read(words[1])
    items = words[2].strip() if len(words) > 2 else None
    return c.RecordDefenseOutcome(number(words[0], "usage.defense"), outcome, items)


def _build_defense(v: Values) -> c.Command:
    outcome = OUTCOMES.read(v.raw("outcome"))
    return c.RecordDefenseOutcome(
        v.required_number("session", "usage.defense"), outcome, v.text("items")
    )


def parse_progress(text: str, zone: ZoneInfo) -> c.Command:
    words = text.split()
    if len(words) > 1 or (words and not is_person(words[0])):
        raise UserError("usage.progress")
    return c.ShowProgress(c.PersonRef(words[0]) if words else None)


SPECS = (
    Spec(
        "checkin",
        parse_checkin,
        STUDENT,
        {c.AnswerCheckin: "checkin.answer"},
        _build_checkin,
        (
            Option("confidence", Kind.INT, minimum=1, maximum=5),
            Option("progress", Kind.LONG_TEXT, max_length=1500),
            Option("blockers", Kind.LONG_TEXT, max_length=1000),
            Option("goal", Kind.TEXT, max_length=500),
        ),
        help=(Help("help.checkin"),),
        usage="[CONFIDENCE 1-5 PROGRESS | BLOCKERS | GOAL]",
        form=Form(
            "checkin",
            (
                Field("progress", required=True),
                Field("confidence", required=True, menu=CONFIDENCE),
                Field("blockers"),
                Field("goal", required=True),
            ),
            refusals={"checkin.bad_confidence": "confidence", "checkin.usage": "progress"},
        ),
    ),
    Spec(
        "notes",
        parse_notes,
        MENTOR,
        {c.RecordAttendance: "evaluation.record"},
        _build_notes,
        (
            Option("session", Kind.INT, required=True, describe="session_notes", suggest="to_note"),
            Option("attendance", Kind.CHOICE, vocabulary=ATTENDANCE),
            Option("progress", Kind.LONG_TEXT, describe="notes_progress"),
            Option("improve", Kind.LONG_TEXT),
            Option("goals", Kind.LONG_TEXT),
            Option("ready", Kind.BOOL),
        ),
        help=(Help("help.notes"),),
        usage="SESSION [present|absent|late] [NOTES]",
    ),
    Spec(
        "defense",
        parse_defense,
        VALIDATOR,
        {c.RecordDefenseOutcome: "evaluation.record_defense"},
        _build_defense,
        (
            Option("session", Kind.INT, required=True, describe="session_defense"),
            Option("outcome", Kind.CHOICE, required=True, vocabulary=OUTCOMES),
            Option("items", Kind.LONG_TEXT),
        ),
        help=(Help("help.defense"),),
        usage="SESSION validated|rework [items to rework]",
    ),
    Spec(
        "progress",
        parse_progress,
        STUDENT | MENTOR | ADVISOR,
        {c.ShowProgress: "progress.show"},
        lambda v: c.ShowProgress(v.person("student")),
        (Option("student", Kind.PERSON, describe="progress_student"),),
        help=(Help("help.progress"),),
        usage="[@student]",
    ),
)
