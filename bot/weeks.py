"""Programme weeks: Monday 00:00 to Monday 00:00 in the programme's zone (DST-proof)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Week:
    starts_at: datetime  # UTC instants of the local Mondays
    ends_at: datetime
    iso: tuple[int, int]


def week_of(instant: datetime, zone: ZoneInfo) -> Week:
    local = instant.astimezone(zone)
    monday = local.date() - timedelta(days=local.weekday())
    return _week(monday, zone)


def weeks_back(now: datetime, zone: ZoneInfo, count: int) -> list[Week]:
    """The `count` weeks ending with this one, oldest first."""
    this = week_of(now, zone).starts_at.astimezone(zone).date()
    return [_week(this - timedelta(weeks=n), zone) for n in reversed(range(count))]


def _week(monday: date, zone: ZoneInfo) -> Week:
    start = datetime.combine(monday, time(0), zone)
    end = datetime.combine(monday + timedelta(days=7), time(0), zone)
    year, number, _ = start.isocalendar()
    return Week(start.astimezone(UTC), end.astimezone(UTC), (year, number))
