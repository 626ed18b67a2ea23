"""Commands: what a person asks for, as small frozen values (imperative names)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time


@dataclass(frozen=True)
class BookSession:
    starts_at: datetime | None  # None: offer the next free slots


@dataclass(frozen=True)
class ListSessions:
    pass


@dataclass(frozen=True)
class CancelSession:
    session_id: int | None  # None: offer the person's sessions


@dataclass(frozen=True)
class MoveSession:
    session_id: int | None
    starts_at: datetime | None  # None: offer free slots for the new time


@dataclass(frozen=True)
class AddAvailability:
    weekday: int
    starts: time
    ends: time


@dataclass(frozen=True)
class RemoveAvailability:
    weekday: int
    starts: time
    ends: time


@dataclass(frozen=True)
class AddTimeOff:
    first_day: date
    last_day: date


@dataclass(frozen=True)
class ListAvailability:
    pass


@dataclass(frozen=True)
class ShowHelp:
    pass


@dataclass(frozen=True)
class SetTimezone:
    zone: str | None


@dataclass(frozen=True)
class SetLanguage:
    locale: str | None


@dataclass(frozen=True)
class IssueLinkCode:
    email: str | None  # None: a code for the caller


@dataclass(frozen=True)
class RedeemLinkCode:
    code: str


Command = (
    BookSession
    | ListSessions
    | CancelSession
    | MoveSession
    | AddAvailability
    | RemoveAvailability
    | AddTimeOff
    | ListAvailability
    | ShowHelp
    | SetTimezone
    | SetLanguage
    | IssueLinkCode
    | RedeemLinkCode
)
