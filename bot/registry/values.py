"""Typed options as an adapter read them (Discord's options, a form's fields), for the builders
that make commands of them without joining them into text.

Values arrive as the platform gave them: numbers as numbers, a picked person as a `PersonRef`,
a choice as its value (forgeable, so read through its vocabulary). Blank text counts as unset.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.commands import PersonRef
from bot.errors import UserError
from bot.text import ascii_int
from bot.timeparse import parse_date, parse_instant, parse_time
from bot.vocabulary import Vocabulary


class Values:
    def __init__(self, given: Mapping[str, object], zone: ZoneInfo | None = None) -> None:
        """`zone`: the person's, to read a date and a time as an instant (forms have none)."""
        self.given = {name: value for name, value in given.items() if value is not None}
        self.zone = zone

    def has(self, *names: str) -> bool:
        """Whether any of these options was given (blank text is not)."""
        return any(self.text(name) is not None for name in names)

    def given_all(self, *names: str) -> bool:
        """Whether every one of these options was given (even blank)."""
        return all(name in self.given for name in names)

    def text(self, name: str) -> str | None:
        value = self.given.get(name)
        if value is None or isinstance(value, PersonRef):
            return None
        return str(value).strip() or None

    def raw(self, name: str) -> str:
        """The text as typed (kept whole: a `|` or ` -- ` in it stays), "" when unset."""
        value = self.given.get(name)
        return value if isinstance(value, str) else ""

    def number(self, name: str, refusal: str = "usage.notes") -> int | None:
        value = self.given.get(name)
        if value is None or isinstance(value, bool):
            return None
        number = value if isinstance(value, int) else ascii_int(str(value).lstrip("#"))
        if number is None:
            raise UserError(refusal, value=str(value))
        return number

    def required_number(self, name: str, refusal: str) -> int:
        number = self.number(name, refusal)
        if number is None:
            raise UserError(refusal, value="")
        return number

    def flag(self, name: str) -> bool | None:
        value = self.given.get(name)
        return None if value is None else bool(value)

    def person(self, name: str) -> PersonRef | None:
        value = self.given.get(name)
        return value if isinstance(value, PersonRef) else None

    def choice(self, name: str, vocabulary: Vocabulary) -> str | None:
        text = self.text(name)
        return vocabulary.read(text) if text is not None else None

    def day(self, name: str) -> date | None:
        text = self.text(name)
        return parse_date(text) if text is not None else None

    def at(self, name: str) -> time | None:
        text = self.text(name)
        return parse_time(text) if text is not None else None

    def instant(self, day: str, at: str) -> datetime | None:
        """A date and a time option as one instant in the person's zone (None if neither)."""
        words = [w for w in (self.text(day), self.text(at)) if w is not None]
        assert self.zone is not None, "an instant is read in the person's zone"
        return parse_instant(words, self.zone) if words else None
