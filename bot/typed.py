"""Typed commands from the adapters (Discord's options, submitted forms): cleaned and checked
once, at the core's edge, as typed text is by the parsers.

A typed command skips the text parser, so what the parser refuses must be refused here too:
the same user errors, with the same keys, whichever way the command came in.
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Any, TypeVar

from bot import commands as c
from bot.errors import UserError
from bot.text import clean

T = TypeVar("T")
CONFIDENCE = range(1, 6)


def cleaned(value: T) -> T:
    """Every text field of a command (and of the values it holds) with control characters
    removed, as `clean` does for typed text."""
    if isinstance(value, str) and not isinstance(value, enum.Enum):  # a category is no text
        return clean(value)  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes: dict[str, Any] = {
            f.name: cleaned(getattr(value, f.name)) for f in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **changes)
    return value


def checked(command: c.Command) -> c.Command:
    """The parsers' refusals for the commands adapters build from typed fields."""
    if isinstance(command, c.RaiseAlert) and not command.summary.strip():
        raise UserError("usage.escalate")
    answer = command.answer if isinstance(command, c.AnswerCheckin) else None
    if answer is not None and answer.confidence not in CONFIDENCE:
        raise UserError("checkin.bad_confidence", value=answer.confidence)
    if isinstance(command, c.RecordAttendance) and command.attendance not in (
        None,
        "present",
        "absent",
        "late",
    ):
        raise UserError("usage.notes")
    if isinstance(command, c.AddTimeOff) and command.last_day < command.first_day:
        raise UserError("error.bad_date_range", first=command.first_day, last=command.last_day)
    return command
