"""Pure time arithmetic: availability windows, weeks and candidate slots, DST-safe."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain import WeeklyAvailability


def _local_dates(start: datetime, end: datetime, zone: ZoneInfo) -> Iterator[date]:
    day = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    while day <= last:
        yield day
        day += timedelta(days=1)


def _instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    # A wall time skipped by DST resolves forward (PEP 495 fold=0), which is what people expect.
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def windows(
    rules: Iterable[WeeklyAvailability], start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """The UTC intervals that the weekly rules open between `start` and `end`, sorted."""
    found = []
    for rule in rules:
        zone = ZoneInfo(rule.timezone)
        for day in _local_dates(start - timedelta(days=1), end + timedelta(days=1), zone):
            if day.weekday() != rule.weekday:
                continue
            opens, closes = _instant(day, rule.starts, zone), _instant(day, rule.ends, zone)
            if opens < end and closes > start:
                found.append((opens, closes))
    return sorted(found)


def fits(rules: Iterable[WeeklyAvailability], starts_at: datetime, ends_at: datetime) -> bool:
    return any(
        opens <= starts_at and ends_at <= closes
        for opens, closes in windows(rules, starts_at, ends_at)
    )


def slot_starts(
    rules: Iterable[WeeklyAvailability], start: datetime, end: datetime, length: timedelta
) -> Iterator[datetime]:
    """Back-to-back slots of `length` from each window's opening, in time order."""
    return starts_in(windows(rules, start, end), start, end, length)


def starts_in(
    opened: Iterable[tuple[datetime, datetime]], start: datetime, end: datetime, length: timedelta
) -> Iterator[datetime]:
    """`slot_starts` over windows already opened (sorted)."""
    for opens, closes in opened:
        slot = opens
        while slot + length <= closes:
            if start <= slot <= end:
                yield slot
            slot += length


def week_bounds(instant: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The ISO week (Monday 00:00 to Monday 00:00, local) holding `instant`, in UTC."""
    local_day = instant.astimezone(zone).date()
    monday = local_day - timedelta(days=local_day.weekday())
    return _instant(monday, time(0), zone), _instant(monday + timedelta(days=7), time(0), zone)


def day_bounds(first: date, last: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """From local midnight of `first` to local midnight after `last`, in UTC."""
    return _instant(first, time(0), zone), _instant(last + timedelta(days=1), time(0), zone)
