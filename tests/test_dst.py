"""Bookings across the daylight-saving changes of 2026 and 2027, in Europe and North America.

Europe/Paris: summer time ends 25 Oct 2026 and 31 Oct 2027, starts 28 Mar 2027.
America/Toronto: summer time ends 1 Nov 2026 and 7 Nov 2027, starts 14 Mar 2027.
Camille's Monday window is 09:00-12:00 in Paris whatever the season.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot import calendar
from bot.clock import ManualClock
from bot.domain import WeeklyAvailability
from storage.database import Database
from tests.conftest import Programme, load_programme


def booked_start(programme: Programme, who: str, line: str) -> datetime:
    reply = programme.ok(who, line)
    assert reply.lines[0].key == "booking.booked", reply
    when = reply.lines[0].params["when"]
    assert isinstance(when, datetime)
    return when


@pytest.mark.parametrize(
    ("today", "sam_types", "utc_start"),
    [
        # Before any change: Paris UTC+2, Toronto UTC-4 (6 h apart).
        (datetime(2026, 10, 12, tzinfo=UTC), "2026-10-19 03:00", datetime(2026, 10, 19, 7, 0)),
        # Between the two autumn changes: Paris UTC+1, Toronto still UTC-4 (5 h apart).
        (datetime(2026, 10, 19, tzinfo=UTC), "2026-10-26 04:00", datetime(2026, 10, 26, 8, 0)),
        # After both: Paris UTC+1, Toronto UTC-5 (6 h apart again).
        (datetime(2026, 10, 26, tzinfo=UTC), "2026-11-02 03:00", datetime(2026, 11, 2, 8, 0)),
        # Between the two spring changes of 2027: Toronto UTC-4 already, Paris UTC+1.
        (datetime(2027, 3, 8, tzinfo=UTC), "2027-03-15 04:00", datetime(2027, 3, 15, 8, 0)),
        # After both spring changes of 2027.
        (datetime(2027, 3, 22, tzinfo=UTC), "2027-03-29 03:00", datetime(2027, 3, 29, 7, 0)),
        # Between the autumn changes of 2027.
        (datetime(2027, 10, 25, tzinfo=UTC), "2027-11-01 04:00", datetime(2027, 11, 1, 8, 0)),
    ],
)
def test_a_toronto_student_books_the_paris_monday_window_across_dst(
    database: Database, today: datetime, sam_types: str, utc_start: datetime
) -> None:
    programme = load_programme(database, ManualClock(today))
    assert booked_start(programme, "sam", f"/book {sam_types}") == utc_start.replace(tzinfo=UTC)
    # One hour earlier in Toronto falls before the Paris window opens.
    hour = int(sam_types[11:13]) - 1
    earlier = f"{sam_types[:11]}{hour:02d}:00"
    assert programme.refused("sam", f"/book {earlier}") == "booking.outside_availability"


@pytest.mark.parametrize(
    ("today", "first_utc"),
    [
        (datetime(2026, 10, 17, tzinfo=UTC), datetime(2026, 10, 19, 7, 0, tzinfo=UTC)),
        (datetime(2026, 10, 24, tzinfo=UTC), datetime(2026, 10, 26, 8, 0, tzinfo=UTC)),
    ],
)
def test_offered_slots_keep_the_local_wall_time_on_each_side_of_the_change(
    database: Database, today: datetime, first_utc: datetime
) -> None:
    programme = load_programme(database, ManualClock(today))
    offered = [
        c.label.params["when"] for c in programme.ok("lea", "/book").choices if c.label.params
    ]
    assert offered[0] == first_utc  # Monday 09:00 in Paris, summer then winter time
    assert offered[1] - offered[0] == timedelta(minutes=45)  # type: ignore[operator]


def test_a_time_skipped_by_the_spring_change_is_refused_clearly(database: Database) -> None:
    programme = load_programme(database, ManualClock(datetime(2027, 3, 20, tzinfo=UTC)))
    reply = programme.run("lea", "/book 2027-03-28 02:30")
    assert reply.is_error and reply.lines[0].key == "error.nonexistent_time"


def test_the_quota_week_is_the_students_local_iso_week_across_a_change(
    database: Database,
) -> None:
    programme = load_programme(database, ManualClock(datetime(2026, 10, 19, tzinfo=UTC)))
    booked_start(programme, "lea", "/book 2026-10-26 09:00")  # Monday after the change
    assert programme.refused("lea", "/book 2026-10-29 09:00") == "booking.quota_reached"
    booked_start(programme, "lea", "/book 2026-11-02 09:00")


def test_windows_follow_the_zone_not_a_fixed_utc_offset() -> None:
    rule = WeeklyAvailability(
        1, 1, 0, datetime(2000, 1, 1, 9).time(), datetime(2000, 1, 1, 12).time(), "Europe/Paris"
    )
    summer = calendar.windows(
        [rule], datetime(2026, 10, 19, tzinfo=UTC), datetime(2026, 10, 20, tzinfo=UTC)
    )
    winter = calendar.windows(
        [rule], datetime(2026, 10, 26, tzinfo=UTC), datetime(2026, 10, 27, tzinfo=UTC)
    )
    assert summer == [
        (datetime(2026, 10, 19, 7, tzinfo=UTC), datetime(2026, 10, 19, 10, tzinfo=UTC))
    ]
    assert winter == [
        (datetime(2026, 10, 26, 8, tzinfo=UTC), datetime(2026, 10, 26, 11, tzinfo=UTC))
    ]
