"""MENTORBOT_BUFFER_MINUTES: time kept free between two sessions of one host, by the overlap
rules themselves — refused when booked, never offered, moves included; 0 allows back to back.

Camille's Thursday window is 09:00-12:00 in Paris; Léa's sessions last 45 min, Zoé's 30.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import ManualClock
from storage.database import Database
from tests.conftest import Programme, load_programme


def buffered(database: Database, clock: ManualClock, minutes: int) -> Programme:
    programme = load_programme(database, clock, buffer_minutes=minutes)
    programme.ok("lea", "/book 2026-11-26 10:00")  # 10:00-10:45
    return programme


def test_a_slot_inside_the_buffer_is_refused_on_either_side(
    database: Database, clock: ManualClock
) -> None:
    programme = buffered(database, clock, 15)
    assert programme.refused("zoe", "/book 2026-11-26 09:30") == "booking.buffer_needed"
    assert programme.refused("zoe", "/book 2026-11-26 10:50") == "booking.buffer_needed"
    assert programme.refused("zoe", "/book 2026-11-26 10:30") == "booking.slot_taken"
    assert programme.run("zoe", "/book 2026-11-26 09:30").lines[0].params == {"minutes": 15}
    programme.ok("zoe", "/book 2026-11-26 11:00")  # exactly 15 min after: fine


def test_no_slot_offered_breaks_the_buffer(database: Database, clock: ManualClock) -> None:
    programme = buffered(database, clock, 15)
    offered = [
        c.label.params["when"] for c in programme.ok("zoe", "/book").choices if c.label.params
    ]
    assert offered
    lea_starts = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # 10:00 in Paris
    lea_ends = lea_starts + timedelta(minutes=45)
    for start in offered:
        assert isinstance(start, datetime)
        end = start + timedelta(minutes=30)
        assert end + timedelta(minutes=15) <= lea_starts or start >= lea_ends + timedelta(
            minutes=15
        ), start


def test_a_move_keeps_the_buffer_too(database: Database, clock: ManualClock) -> None:
    programme = buffered(database, clock, 15)
    zoe = programme.ok("zoe", "/book 2026-11-26 11:15").lines[0].params["id"]
    assert programme.refused("zoe", f"/move {zoe} 2026-11-26 10:55") == "booking.buffer_needed"
    assert programme.ok("zoe", f"/move {zoe} 2026-11-26 11:00").lines[0].key == "move.done"


def test_without_a_buffer_sessions_may_follow_each_other(
    database: Database, clock: ManualClock
) -> None:
    programme = buffered(database, clock, 0)
    programme.ok("zoe", "/book 2026-11-26 09:30")  # ends at 10:00, when Léa's starts
    programme.ok("zoe", "/book 2026-11-26 10:45")  # starts when Léa's ends
