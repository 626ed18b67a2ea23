"""The action a button carries: a command, encoded compactly and versioned, decoded strictly.

A choice's action is a command object (`bot.commands`). Buttons, select menus and stored
notifications hold it as a short string, `v1:<code>[:<arg>…]` (`v1:aa:7` acknowledges alert 7),
that this module alone writes and reads:

- only ids, instants and words from a closed vocabulary go on a button, never free text: a
  command that would need its text (`/reply 12`) is carried without it, and the adapter opens
  the form that completes it. So every encoding is short (`MAX_LENGTH`, well under Discord's
  100-character `custom_id`), whatever people type;
- the codes are part of every button already posted: never rename or reuse one (a test pins
  them); a new command gets a new code, an incompatible change a new version;
- a value this release cannot read (forged, corrupted, an unknown version) is refused with the
  translated "no longer valid" (`STALE`), never an exception of another kind;
- a value posted before actions existed is a command line (`/alerts ack 7`): it is read by the
  text parser, as it was then, and kept only if it is something a button may carry.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot import commands as c
from bot.domain import AlertCategory, AlertStatus, ContactRule, Topic
from bot.errors import UserError
from bot.parsing import parse
from bot.text import ascii_int

VERSION = "v1"
SEPARATOR = ":"
MAX_LENGTH = 80  # room to spare under Discord's 100 characters, with our `mba:` prefix
LEGACY_MAX_LENGTH = 200  # a command line from an older button: ids and instants only
STALE = "action.stale"
_INSTANT = re.compile(r"[0-9]{12}(?:[0-9]{2})?", re.ASCII)
_WORD = re.compile(r"[a-z_]{1,20}", re.ASCII)


@dataclass(frozen=True)
class Arg:
    """One argument: how to write it, how to read it back. An optional one may be left out
    (written empty), standing for `absent` (None, or a flag's False)."""

    write: Callable[[Any], str]
    read: Callable[[str], Any]
    optional: bool = False
    absent: object = None


@dataclass(frozen=True)
class Shape:
    """A command a button may carry: its code, its arguments in order, and the fields that
    must keep their default (free text, a person) for it to be carried at all. Between them,
    every field of the command (a test checks it: a field added later is never dropped)."""

    code: str
    kind: type
    args: tuple[tuple[str, Arg], ...] = ()
    fixed: dict[str, object] = field(default_factory=dict)


class _Unreadable(Exception):
    pass


def _int(text: str) -> int:
    number = ascii_int(text)
    if number is None:
        raise _Unreadable(text)
    return number


def _instant_text(value: datetime) -> str:
    if value.tzinfo is None or value.microsecond or value.year < 1000:
        raise ValueError(f"{value!r} cannot go on a button (naive, too fine or too old)")
    utc = value.astimezone(UTC)
    return utc.strftime("%Y%m%d%H%M" + ("%S" if utc.second else ""))


def _instant(text: str) -> datetime:
    if not _INSTANT.fullmatch(text):
        raise _Unreadable(text)
    try:
        return datetime.strptime(text.ljust(14, "0"), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        raise _Unreadable(text) from None


def _words(*allowed: str) -> Callable[[str], str]:
    def read(text: str) -> str:
        if text not in allowed:
            raise _Unreadable(text)
        return text

    return read


def _enum(kind: type, *allowed: object) -> Callable[[str], Any]:
    def read(text: str) -> Any:
        if not _WORD.fullmatch(text):
            raise _Unreadable(text)
        try:
            value = kind(text)
        except ValueError:
            raise _Unreadable(text) from None
        if allowed and value not in allowed:
            raise _Unreadable(text)
        return value

    return read


def _flag(text: str) -> bool:
    if text not in ("0", "1"):
        raise _Unreadable(text)
    return text == "1"


ID = Arg(str, _int)
MAYBE_ID = Arg(str, _int, optional=True)
WHEN = Arg(_instant_text, _instant, optional=True)
FLAG = Arg(lambda v: "1" if v else "0", _flag)
MAYBE_FLAG = Arg(lambda v: "1", _flag, optional=True, absent=False)  # left out when False
MAYBE_TOPIC = Arg(str, _enum(Topic), optional=True)
PAGE = Arg(str, _int, optional=True, absent=1)  # the first page is left out


def _day(text: str) -> date:
    if not re.fullmatch(r"[0-9]{8}", text, re.ASCII):
        raise _Unreadable(text)
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise _Unreadable(text) from None


DAY = Arg(lambda d: d.strftime("%Y%m%d"), _day, optional=True)


def _path_text(value: str) -> str:
    if not c.PATH_ON_BUTTON.fullmatch(value):
        raise ValueError(f"{value!r} cannot go on a button")
    return value


def _path(text: str) -> str:
    if not c.PATH_ON_BUTTON.fullmatch(text):
        raise _Unreadable(text)
    return text


ATTENDANCE = Arg(str, _words("present", "absent", "late"), optional=True)

# The codes below are on buttons people have been sent: append, never rename or reuse.
SHAPES = (
    Shape("bk", c.BookSession, (("starts_at", WHEN), ("day", DAY), ("page", PAGE))),
    Shape("ls", c.ListSessions),
    Shape("cs", c.CancelSession, (("session_id", MAYBE_ID), ("confirmed", MAYBE_FLAG))),
    Shape("mv", c.MoveSession, (("session_id", MAYBE_ID), ("starts_at", WHEN), ("page", PAGE))),
    Shape("la", c.ListAvailability),
    Shape("hp", c.ShowHelp),
    Shape(
        "cr",
        c.SetContactRule,
        (("rule", Arg(str, _enum(ContactRule, ContactRule.NONE, ContactRule.ASYNC), True)),),
        {"days": frozenset(), "starts": None, "ends": None, "person": None},
    ),
    Shape("aq", c.AskQuestion, (("topic", MAYBE_TOPIC),), {"text": ""}),
    Shape("rq", c.ReplyToQuestion, (("question_id", ID),), {"text": ""}),
    Shape("rt", c.RouteQuestion, (("question_id", ID), ("target", MAYBE_TOPIC))),
    Shape(
        "al",
        c.ListAlerts,
        (
            ("include_closed", FLAG),
            ("state", Arg(str, _enum(AlertStatus), optional=True)),
            ("category", Arg(str, _enum(AlertCategory), optional=True)),
            ("student_id", MAYBE_ID),
            ("mentor_id", MAYBE_ID),
            ("page", PAGE),
        ),
        {"person": None, "mentor": None},
    ),
    Shape("aa", c.AcknowledgeAlert, (("alert_id", ID),)),
    Shape("ar", c.ResolveAlert, (("alert_id", ID),), {"note": ""}),
    Shape("ad", c.ShowAlertDetails, (("alert_id", ID),)),
    Shape("ci", c.AnswerCheckin, fixed={"answer": None}),
    Shape(
        "at", c.RecordAttendance, (("session_id", ID), ("attendance", ATTENDANCE)), {"notes": None}
    ),
    Shape(
        "do",
        c.RecordDefenseOutcome,
        (("session_id", ID), ("outcome", Arg(str, _words("validated", "rework")))),
        {"items": None},
    ),
    Shape("bd", c.BookDefense, (("starts_at", WHEN),)),
    Shape("sp", c.ShowProgress, fixed={"person": None}),
    Shape("sl", c.SetLanguage, (("locale", Arg(str, _words("fr", "en"), optional=True)),)),
    Shape(
        "ep",
        c.ErasePerson,
        (("person_id", ID), ("confirmed", MAYBE_FLAG)),
        {"person": None},
    ),
    Shape("ch", c.SendConfidenceChart, (("student_id", ID),), {"person": None}),
    Shape("fb", c.AnswerFeedback, (("session_id", ID), ("score", MAYBE_ID)), {"comment": None}),
    Shape(
        "st",
        c.ListStudents,
        (
            ("which", Arg(str, _words("at_risk", "paused", "unlinked"), optional=True)),
            ("mentor_id", MAYBE_ID),
            ("path", Arg(_path_text, _path, optional=True)),
            ("page", PAGE),
        ),
        {"mentor": None},
    ),
)
BY_TYPE = {shape.kind: shape for shape in SHAPES}
BY_CODE = {shape.code: shape for shape in SHAPES}


def carriable(command: object) -> bool:
    """Whether a button may carry this command (its type has a code, its free text is empty)."""
    shape = BY_TYPE.get(type(command))
    return shape is not None and all(
        getattr(command, name) == value for name, value in shape.fixed.items()
    )


def encode(command: c.Command) -> str:
    """`v1:<code>[:<arg>…]`; ValueError for a command no button may carry (a bug of ours)."""
    if not carriable(command):
        raise ValueError(
            f"{type(command).__name__} cannot go on a button: free text in it, or no code"
            " for it in bot.actions.SHAPES (add one, never reuse one)"
        )
    shape = BY_TYPE[type(command)]
    parts = [_write(arg, getattr(command, name)) for name, arg in shape.args]
    while parts and parts[-1] == "":  # an optional argument left out at the end
        parts.pop()
    return SEPARATOR.join((VERSION, shape.code, *parts))


def _write(arg: Arg, value: object) -> str:
    if value is None or (arg.optional and value == arg.absent):
        if not arg.optional:
            raise ValueError("a required argument is missing")
        return ""
    text = arg.write(value)
    if not text or SEPARATOR in text:
        raise ValueError(f"{value!r} cannot be written on a button")
    return text


def decode(value: str) -> c.Command:
    """The command a button carries, or the translated "no longer valid" refusal."""
    command = read(value)
    if command is None:
        raise UserError(STALE)
    return command


def read(value: object) -> c.Command | None:
    """The command a button carries; None for anything this release cannot read."""
    if not isinstance(value, str):
        return None
    if value.startswith("/"):
        return _legacy(value)
    if len(value) > MAX_LENGTH:
        return None
    version, _, rest = value.partition(SEPARATOR)
    code, *parts = rest.split(SEPARATOR)
    shape = BY_CODE.get(code)
    if version != VERSION or shape is None or len(parts) > len(shape.args):
        return None
    try:
        return _build(shape, parts)
    except _Unreadable:
        return None


def _build(shape: Shape, parts: list[str]) -> c.Command:
    values: dict[str, object] = dict(shape.fixed)
    padded = parts + [""] * (len(shape.args) - len(parts))
    for (name, arg), text in zip(shape.args, padded, strict=True):
        if text == "" and not arg.optional:
            raise _Unreadable(name)
        values[name] = arg.read(text) if text else arg.absent
    command: c.Command = shape.kind(**values)
    return command


def _legacy(line: str) -> c.Command | None:
    """A button posted before actions: its command line, read as it was then (its instants
    are UTC tokens, so no reader's zone is needed)."""
    if len(line) > LEGACY_MAX_LENGTH:
        return None
    name, _, text = line.strip().partition(" ")
    try:
        command = parse(name, text, ZoneInfo("UTC"))
    except UserError:
        return None
    return command if carriable(command) else None
