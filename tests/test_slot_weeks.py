"""The calendar's week lookup, remembered per week met, gives `calendar.week_bounds`'s Monday
for any instant, in any order of asking, across a clock change and in two zones at once."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import calendar
from bot.services.slots import Calendar


def test_week_start_matches_week_bounds_in_any_order_across_a_clock_change() -> None:
    paris, auckland = ZoneInfo("Europe/Paris"), ZoneInfo("Pacific/Auckland")
    first = datetime(2026, 10, 12, tzinfo=UTC)  # Paris changes its clock on 25 October
    span = (first, first + timedelta(days=35))
    cal = Calendar(1, 2, [], [], [], span)
    # Every half hour of five weeks, shuffled, and the hours around each local midnight.
    instants = [first + timedelta(minutes=30 * n) for n in range(35 * 48)]
    random.Random(13).shuffle(instants)
    for instant in instants:
        for zone in (paris, auckland):
            assert cal.week_start(instant, zone) == calendar.week_bounds(instant, zone)[0]
    # Both zones met several weeks each, remembered apart.
    assert len(cal._weeks[paris.key]) == 6 and len(cal._weeks[auckland.key]) == 6
