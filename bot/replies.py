"""What the core answers: translatable lines and choices, with no platform in sight."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # bot.commands → bot.domain → here: the type only, for the checker
    from bot.commands import Command


@dataclass(frozen=True)
class Text:
    """A catalogue key and its parameters; datetimes are rendered in the reader's zone."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Choice:
    """Something the person can pick: `action` runs as whoever picks it. It goes on buttons
    encoded by `bot.actions`, so it carries ids and words, never free text."""

    label: Text
    action: Command


@dataclass(frozen=True)
class Reply:
    lines: tuple[Text, ...]
    choices: tuple[Choice, ...] = ()
    is_error: bool = False

    @classmethod
    def say(cls, key: str, **params: object) -> Reply:
        return cls((Text(key, params),))

    @classmethod
    def error(cls, key: str, params: Mapping[str, object]) -> Reply:
        return cls((Text(key, dict(params)),), is_error=True)
