"""Parsers for what happens between sessions: /contact, /ask, /reply, /escalate, /alerts.

They take the raw text, because questions and summaries keep their line breaks and spacing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

from bot import commands as c
from bot.domain import AlertCategory, CheckinAnswer, ContactRule, PersonStatus, Topic
from bot.errors import UserError
from bot.text import ascii_int
from bot.timeparse import fold, parse_time_range, parse_weekday

RULES = {
    "none": ContactRule.NONE,
    "aucun": ContactRule.NONE,
    "aucune": ContactRule.NONE,
    "async": ContactRule.ASYNC,
    "asynchrone": ContactRule.ASYNC,
    "window": ContactRule.WINDOW,
    "fenetre": ContactRule.WINDOW,
    "creneau": ContactRule.WINDOW,
}
CATEGORIES = {
    "absence": AlertCategory.ABSENCE,
    "circumstances": AlertCategory.CIRCUMSTANCES,
    "circonstances": AlertCategory.CIRCUMSTANCES,
    "disengagement": AlertCategory.DISENGAGEMENT,
    "desengagement": AlertCategory.DISENGAGEMENT,
    "disrespect": AlertCategory.DISRESPECT,
    "irrespect": AlertCategory.DISRESPECT,
    "plagiarism": AlertCategory.PLAGIARISM,
    "plagiat": AlertCategory.PLAGIARISM,
}
_PERSON = re.compile(r"^(<@[!&]?[A-Z0-9]+(\|[^>]*)?>|[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+)$", re.I)
_TOPIC = re.compile(r"^(topic|sujet)=(\w+)\s*", re.I)
DETAILS_SEPARATOR = " -- "
ATTENDANCE = {
    "present": "present",
    "absent": "absent",
    "no-show": "absent",
    "late": "late",
    "tardive": "late",
}
YES = {"yes", "oui", "y", "o", "ready", "pret", "prete"}
NO = {"no", "non", "n", "-"}
DEFENSE_OUTCOMES = {
    "validated": "validated",
    "valide": "validated",
    "validee": "validated",
    "rework": "rework",
    "retravailler": "rework",
    "a retravailler": "rework",
}
TextParser = Callable[[str, ZoneInfo], c.Command]


def is_person(word: str) -> bool:
    return bool(_PERSON.match(word))


def _number(text: str, key: str) -> int:
    number = ascii_int(text.lstrip("#"))
    if number is None:
        raise UserError(key, value=text)
    return number


def parse_days(text: str) -> frozenset[int]:
    """`mon,wed,fri`, `lun-ven`, `mon-fri,sun`: weekday numbers, Monday = 0."""
    days: set[int] = set()
    for part in text.split(","):
        first, _, last = part.partition("-")
        start = parse_weekday(first)
        end = parse_weekday(last) if last else start
        day = start
        while True:
            days.add(day)
            if day == end:
                break
            day = (day + 1) % 7
    return frozenset(days)


def parse_contact(text: str, zone: ZoneInfo) -> c.Command:
    words = text.split()
    if not words:
        return c.SetContactRule(None)
    rule = RULES.get(fold(words[0]))
    if rule is None:
        raise UserError("usage.contact")
    rest = words[1:]
    person = c.PersonRef(rest.pop()) if rest and is_person(rest[-1]) else None
    if rule != ContactRule.WINDOW:
        if rest:
            raise UserError("usage.contact")
        return c.SetContactRule(rule, person=person)
    if len(rest) != 2:
        raise UserError("contact.window_needs_hours")
    starts, ends = parse_time_range(rest[1])
    return c.SetContactRule(rule, parse_days(rest[0]), starts, ends, person)


def parse_ask(text: str, zone: ZoneInfo) -> c.Command:
    text = text.strip()
    topic = None
    if match := _TOPIC.match(text):
        try:
            topic = Topic(match[2].lower())
        except ValueError:
            raise UserError("ask.unknown_topic", value=match[2]) from None
        text = text[match.end() :]
    return c.AskQuestion(text.strip(), topic)


def parse_reply(text: str, zone: ZoneInfo) -> c.Command:
    number, _, answer = text.strip().partition(" ")
    if not number:
        raise UserError("usage.reply")
    return c.ReplyToQuestion(_number(number, "usage.reply"), answer.strip())


def alert_category(word: str) -> AlertCategory:
    """A category in either language (`plagiat`, `plagiarism`), or the usual refusal."""
    category = CATEGORIES.get(fold(word))
    if category is None:
        raise UserError("escalate.unknown_category", value=word)
    return category


def parse_escalate(text: str, zone: ZoneInfo) -> c.Command:
    parts = text.strip().split(maxsplit=2)
    if len(parts) < 3:
        raise UserError("usage.escalate")
    category = alert_category(parts[0])
    if not is_person(parts[1]):
        raise UserError("error.bad_person", value=parts[1])
    summary, _, details = parts[2].partition(DETAILS_SEPARATOR)
    if not summary.strip():
        raise UserError("usage.escalate")
    return c.RaiseAlert(category, c.PersonRef(parts[1]), summary.strip(), details.strip() or None)


def parse_alerts(text: str, zone: ZoneInfo) -> c.Command:
    action, _, rest = text.strip().partition(" ")
    action = fold(action)
    rest = rest.strip()
    if action in ("ack", "acknowledge", "prendre", "pris"):
        return c.AcknowledgeAlert(_number(rest, "usage.alerts"))
    if action in ("resolve", "resoudre", "close", "clore"):
        number, _, note = rest.partition(" ")
        return c.ResolveAlert(_number(number, "usage.alerts"), note.strip())
    if action == "details":
        return c.ShowAlertDetails(_number(rest, "usage.alerts"))
    words = text.split()
    scope = fold(words.pop(0)) if words and not is_person(words[0]) else "open"
    if scope not in ("open", "ouvertes", "all", "toutes") or len(words) > 1:
        raise UserError("usage.alerts")
    person = c.PersonRef(words[0]) if words else None
    return c.ListAlerts(include_closed=scope in ("all", "toutes"), person=person)


def parse_checkin(text: str) -> CheckinAnswer | None:
    """`CONFIDENCE PROGRESS | BLOCKERS | GOAL`, e.g. `4 API done | none | tests`."""
    text = text.strip()
    if not text:
        return None
    confidence, _, rest = text.partition(" ")
    if confidence not in {"1", "2", "3", "4", "5"}:
        raise UserError("checkin.bad_confidence", value=confidence)
    parts = [p.strip() for p in rest.split("|")]
    if len(parts) != 3:
        raise UserError("checkin.usage")
    progress, blockers, goal = parts
    return CheckinAnswer(progress, int(confidence), blockers, goal)


def parse_checkin_command(text: str, zone: ZoneInfo) -> c.Command:
    return c.AnswerCheckin(parse_checkin(text))


def parse_notes(text: str, zone: ZoneInfo) -> c.Command:
    """`SESSION [present|absent|late] [PROGRESS | TO IMPROVE | GOALS | READY (yes/no)]`."""
    words = text.split(maxsplit=2)
    if not words:
        raise UserError("usage.notes")
    attendance = ATTENDANCE.get(fold(words[1])) if len(words) > 1 else None
    if len(words) > 1 and attendance is None:
        raise UserError("usage.notes")
    notes = _notes_fields(words[2]) if len(words) > 2 else None
    return c.RecordAttendance(_number(words[0], "usage.notes"), attendance, notes)


def _notes_fields(text: str) -> c.NotesFields:
    parts = [part.strip() for part in text.split("|")]
    if len(parts) != 4 or fold(parts[3]) not in YES | NO:
        raise UserError("usage.notes")
    return c.NotesFields(parts[0], parts[1], parts[2], fold(parts[3]) in YES)


def parse_defense(text: str, zone: ZoneInfo) -> c.Command:
    """`SESSION validated|rework [ITEMS]`, French words too."""
    words = text.split(maxsplit=2)
    if len(words) < 2 or fold(words[1]) not in DEFENSE_OUTCOMES:
        raise UserError("usage.defense")
    items = words[2].strip() if len(words) > 2 else None
    return c.RecordDefenseOutcome(
        _number(words[0], "usage.defense"), DEFENSE_OUTCOMES[fold(words[1])], items
    )


def parse_progress(text: str, zone: ZoneInfo) -> c.Command:
    words = text.split()
    if len(words) > 1 or (words and not is_person(words[0])):
        raise UserError("usage.progress")
    return c.ShowProgress(c.PersonRef(words[0]) if words else None)


def parse_status(status: PersonStatus) -> TextParser:
    def parser(text: str, zone: ZoneInfo) -> c.Command:
        words = text.split()
        if len(words) != 1 or not is_person(words[0]):
            raise UserError("usage.pause")
        return c.SetPersonStatus(c.PersonRef(words[0]), status)

    return parser
