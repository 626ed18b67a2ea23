"""Reading the words of a typed command line that several commands share: numbers, people,
weekday lists."""

from __future__ import annotations

import re

from bot.errors import UserError
from bot.text import ascii_int
from bot.timeparse import parse_weekday

_PERSON = re.compile(r"^(<@[!&]?[A-Z0-9]+(\|[^>]*)?>|[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+)$", re.I)


def is_person(word: str) -> bool:
    """A mention (`<@U123>`, `<@U123|name>`, `<@!123>`) or an email."""
    return bool(_PERSON.match(word))


def number(text: str, key: str) -> int:
    """`12` or `#12`, ASCII digits only; else the refusal `key` (its {value} the text)."""
    found = ascii_int(text.lstrip("#"))
    if found is None:
        raise UserError(key, value=text)
    return found


def session_id(text: str) -> int:
    return number(text, "error.bad_session_id")


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
