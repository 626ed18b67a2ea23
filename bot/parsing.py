"""From a typed line (`/book 2026-12-01 10:00`) to a command, with usage errors people can read."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from bot import commands as c
from bot import parsing_between as between
from bot.domain import PersonStatus
from bot.errors import UserError
from bot.routing.parsing import parse_route
from bot.text import ascii_int
from bot.timeparse import parse_date, parse_instant, parse_time_range, parse_weekday

Parser = Callable[[list[str], ZoneInfo], c.Command]
TextParser = Callable[[str, ZoneInfo], c.Command]


def _session_id(text: str) -> int:
    number = ascii_int(text.lstrip("#"))
    if number is None:
        raise UserError("error.bad_session_id", value=text)
    return number


def _book(args: list[str], zone: ZoneInfo) -> c.Command:
    if args and args[0].lower() in ("defense", "soutenance"):
        return c.BookDefense(parse_instant(args[1:], zone) if args[1:] else None)
    return c.BookSession(parse_instant(args, zone) if args else None)


def _sessions(args: list[str], zone: ZoneInfo) -> c.Command:
    return c.ListSessions()


def _cancel(args: list[str], zone: ZoneInfo) -> c.Command:
    if len(args) > 1:
        raise UserError("usage.cancel")
    return c.CancelSession(_session_id(args[0]) if args else None)


def _move(args: list[str], zone: ZoneInfo) -> c.Command:
    if not args:
        return c.MoveSession(None, None)
    session_id = _session_id(args[0])
    return c.MoveSession(session_id, parse_instant(args[1:], zone) if args[1:] else None)


def _availability(args: list[str], zone: ZoneInfo) -> c.Command:
    action = args[0].lower() if args else "list"
    rest = args[1:]
    if action in ("list", "liste"):
        return c.ListAvailability()
    if action in ("add", "ajouter", "remove", "retirer") and len(rest) == 2:
        weekday = parse_weekday(rest[0])
        starts, ends = parse_time_range(rest[1])
        if action in ("add", "ajouter"):
            return c.AddAvailability(weekday, starts, ends)
        return c.RemoveAvailability(weekday, starts, ends)
    if action in ("off", "absent") and len(rest) in (1, 2):
        first = parse_date(rest[0])
        last = parse_date(rest[1]) if len(rest) == 2 else first
        if last < first:
            raise UserError("error.bad_date_range", first=first, last=last)
        return c.AddTimeOff(first, last)
    raise UserError("usage.availability")


def _mentorbot(args: list[str], zone: ZoneInfo) -> c.Command:
    action = args[0].lower() if args else "help"
    value = args[1] if len(args) > 1 else None
    if action in ("help", "aide"):
        return c.ShowHelp()
    if action in ("timezone", "fuseau"):
        return c.SetTimezone(value)
    if action in ("language", "langue"):
        return c.SetLanguage(value.lower() if value else None)
    if action in ("link", "lier"):
        if value is None or "@" in value:
            return c.IssueLinkCode(value)
        return c.RedeemLinkCode(value)
    raise UserError("usage.mentorbot")


WORD_PARSERS: dict[str, Parser] = {
    "book": _book,
    "sessions": _sessions,
    "cancel": _cancel,
    "move": _move,
    "availability": _availability,
    "mentorbot": _mentorbot,
    "help": lambda args, zone: c.ShowHelp(),
}


TEXT_PARSERS: dict[str, TextParser] = {
    "contact": between.parse_contact,
    "ask": between.parse_ask,
    "reply": between.parse_reply,
    "route": parse_route,
    "escalate": between.parse_escalate,
    "alerts": between.parse_alerts,
    "checkin": between.parse_checkin_command,
    "notes": between.parse_notes,
    "defense": between.parse_defense,
    "progress": between.parse_progress,
    "pause": between.parse_status(PersonStatus.PAUSED),
    "resume": between.parse_status(PersonStatus.ACTIVE),
}


def parse(name: str, text: str, zone: ZoneInfo) -> c.Command:
    """`name` is the command without its slash; `text` its arguments as typed."""
    name = name.lstrip("/").lower()
    if name in TEXT_PARSERS:
        return TEXT_PARSERS[name](text, zone)
    parser = WORD_PARSERS.get(name)
    if parser is None:
        raise UserError("error.unknown_command", command=f"/{name}")
    return parser(text.split(), zone)
