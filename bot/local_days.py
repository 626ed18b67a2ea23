"""A time off's days as its reader's calendar shows them.

A time off is kept as the instants its days began and ended where the mentor was when they
took it (local midnight to local midnight). Its reader may be elsewhere: the mentor after moving
to another zone, a student far away. Each bound is shown as a day when it falls at the reader's
own midnight, else as the instant on the reader's clock, so no reply names a day the reader
would not see as off (a Paris time off beginning on the 10th begins at 18:00 on the 9th in
Toronto). Rendered by `bot.i18n.Renderer`, like `WeeklyHours`; replies only (not stored).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain import TimeOff


@dataclass(frozen=True)
class LocalDay:
    at: datetime  # UTC
    closing: bool = False  # the end of a span: the midnight after its last day

    def shown(self, zone: ZoneInfo) -> date | datetime:
        local = self.at.astimezone(zone)
        if local.time() != time(0):
            return self.at
        return local.date() - timedelta(days=1) if self.closing else local.date()


def days_of(off: TimeOff) -> dict[str, object]:
    """The `{first}` and `{last}` of a message about this time off."""
    return {"first": LocalDay(off.starts_at), "last": LocalDay(off.ends_at, closing=True)}


def first_day_in(off: TimeOff, zone: ZoneInfo) -> date:
    """The day it begins on this clock (the day its first instant falls in)."""
    return off.starts_at.astimezone(zone).date()
