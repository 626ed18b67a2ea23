"""When a `window` contact rule next lets a question through, in UTC, DST included."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot import calendar
from bot.domain import ContactPolicy, WeeklyAvailability


def next_opening(policy: ContactPolicy, now: datetime) -> datetime:
    """`now` when inside the window, else the start of the next one."""
    assert policy.starts is not None and policy.ends is not None and policy.timezone
    rules = [
        WeeklyAvailability(0, 0, day, policy.starts, policy.ends, policy.timezone)
        for day in sorted(policy.days)
    ]
    for opens, closes in calendar.windows(rules, now, now + timedelta(days=8)):
        if closes > now:
            return max(opens, now)
    raise ValueError("a window rule with no day")
