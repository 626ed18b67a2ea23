"""Pure time arithmetic: availability windows, weeks and candidate slots, DST-safe."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.domain import WeeklyAvailability


def _local_weekdays(start: datetime, end: datetime, zone: ZoneInfo, weekday: int) -> Iterator[date]:
    """The local dates from `start` to `end` falling on `weekday`: a week's step, not a day's
    (a horizon's rules met every date of it five times)."""
    first = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    while day <= last:
        yield day
        day += _WEEK


@lru_cache(maxsize=4096)
def _instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    # A wall time skipped by DST resolves forward (PEP 495 fold=0), which is what people expect.
    # Remembered: a slot search opens a horizon's windows, two instants a rule a day (1.7 µs
    # each to convert, 0.3 to find again), and the next search meets the same days.
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def windows(
    rules: Iterable[WeeklyAvailability], start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """The UTC intervals that the weekly rules open between `start` and `end`, sorted."""
    found = []
    for rule in rules:
        zone = ZoneInfo(rule.timezone)
        around = start - timedelta(days=1), end + timedelta(days=1)
        for day in _local_weekdays(*around, zone, rule.weekday):
            opens, closes = _instant(day, rule.starts, zone), _instant(day, rule.ends, zone)
            if opens < end and closes > start:
                found.append((opens, closes))
    return sorted(found)


def fits(rules: Iterable[WeeklyAvailability], starts_at: datetime, ends_at: datetime) -> bool:
    return any(
        opens <= starts_at and ends_at <= closes
        for opens, closes in windows(rules, starts_at, ends_at)
    )


def micros(instant: datetime) -> int:
    """An aware instant as whole microseconds since 1970 in UTC: how a calendar keeps the host's
    other sessions, read so from the database (no datetime made per session)."""
    return (instant - _EPOCH) // _MICROSECOND


def from_micros(count: int) -> datetime:
    """The aware UTC instant `count` microseconds after 1970 (the inverse of `micros`)."""
    return _EPOCH + timedelta(microseconds=count)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_WEEK = timedelta(days=7)


def week_bounds(instant: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The ISO week (Monday 00:00 to Monday 00:00, local) holding `instant`, in UTC."""
    local_day = instant.astimezone(zone).date()
    monday = local_day - timedelta(days=local_day.weekday())
    return _instant(monday, time(0), zone), _instant(monday + timedelta(days=7), time(0), zone)


def day_bounds(first: date, last: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """From local midnight of `first` to local midnight after `last`, in UTC."""
    return _instant(first, time(0), zone), _instant(last + timedelta(days=1), time(0), zone)
