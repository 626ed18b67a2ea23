"""Weekly hours (a mentor's contact window) as a value every renderer shows in its reader's zone.

The hours are kept as local days and times of the owner's zone (they follow its daylight
saving); `at` says which week to convert, so a reader elsewhere sees that week's real hours,
with the owner's own named only as an extra.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class WeeklyHours:
    days: tuple[int, ...]  # 0 = Monday, in the owner's zone
    starts: time
    ends: time
    zone: str  # the owner's IANA zone
    at: datetime  # the week whose hours are shown (DST differs from week to week)


@dataclass(frozen=True)
class Opening:
    weekday: int
    starts: time
    ends: time


def openings(hours: WeeklyHours, reader: ZoneInfo) -> list[Opening]:
    """Each day's window of the week of `at`, as the reader's clock shows it."""
    owner = ZoneInfo(hours.zone)
    local = hours.at.astimezone(owner)
    monday = local.date() - timedelta(days=local.weekday())
    found = []
    for day in sorted(hours.days):
        date = monday + timedelta(days=day)
        opens = datetime.combine(date, hours.starts, owner).astimezone(reader)
        closes = datetime.combine(date, hours.ends, owner).astimezone(reader)
        found.append(Opening(opens.weekday(), opens.time(), closes.time()))
    return found


def same_hours(found: list[Opening]) -> bool:
    return len({(o.starts, o.ends) for o in found}) == 1
