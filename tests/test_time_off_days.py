"""Time off shown in its reader's days (issue 14): a time off is kept as the instants it began
and ended where the mentor was; a reply shows a bound as a day when it falls at the reader's own
midnight, else as the instant on the reader's clock, never a day the reader would not see as off.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.i18n import Renderer
from bot.local_days import LocalDay
from tests.conftest import Programme

AUCKLAND = Renderer("fr", "Pacific/Auckland")  # UTC+13 in December: far from UTC


def test_a_mentor_far_from_utc_reads_their_own_days(programme: Programme) -> None:
    programme.ok("mentor", "/mentorbot timezone Pacific/Auckland")
    added = programme.ok("mentor", "/availability absent 2026-12-10 2026-12-12")
    assert AUCKLAND.reply(added)[0].startswith(
        "Absence enregistrée du jeu. 10 déc. 2026 au sam. 12 déc."
    )
    with programme.database.uow() as uow:
        [off] = uow.availability.time_off(
            programme.people["mentor"].id, since=programme.clock.now()
        )
    # Kept in UTC: the 10th began at 11:00 UTC on the 9th in Auckland.
    assert off.starts_at == datetime(2026, 12, 9, 11, tzinfo=UTC)
    listed = AUCKLAND.reply(programme.ok("mentor", "/availability liste"))
    assert "Absence du jeu. 10 déc. 2026 au sam. 12 déc. 2026" in listed, listed
    back = AUCKLAND.reply(programme.ok("mentor", "/availability retour 2026-12-10"))
    assert back[0].startswith("Absence du jeu. 10 déc. 2026 au sam. 12 déc. 2026 retirée"), back


def test_after_a_move_the_mentor_reads_when_the_time_off_really_is(programme: Programme) -> None:
    """Taken in Paris (midnight there is noon in Auckland), read after moving to Auckland: the
    days shown before were the Paris ones, a day short on the mentor's new clock."""
    programme.ok("mentor", "/availability off 2026-12-10 2026-12-12")
    programme.ok("mentor", "/mentorbot timezone Pacific/Auckland")
    listed = AUCKLAND.reply(programme.ok("mentor", "/availability list"))
    line = "Absence du jeu. 10 déc. 2026 12:00 au dim. 13 déc. 2026 12:00"
    assert line in listed, listed
    # The day it was taken for still takes it back, as does the day it begins on this clock.
    assert programme.ok("mentor", "/availability back 2026-12-10").lines[0].key == (
        "week.time_off_removed"
    )


def test_a_student_far_away_is_told_the_time_off_on_their_clock(programme: Programme) -> None:
    programme.ok("mentor", "/availability off 2026-12-10 2026-12-12")
    # Thursday 09:00 in Paris, 03:00 in Toronto: the Paris 10th began at 18:00 on the 9th there.
    refused = programme.run("sam", "/book 2026-12-10 03:00")
    assert refused.is_error and refused.lines[0].key == "booking.time_off"
    assert Renderer("en", "America/Toronto").reply(refused) == [
        "Your mentor is away from Wed 9 Dec 2026 18:00 to Sat 12 Dec 2026 18:00."
    ]
    # Léa, in Paris, reads the days themselves.
    lea = programme.run("lea", "/book 2026-12-10 09:00")
    assert Renderer("fr", "Europe/Paris").reply(lea) == [
        "Votre mentor n’est pas disponible du jeu. 10 déc. 2026 au sam. 12 déc. 2026."
    ]


def test_a_bound_is_a_day_only_at_the_readers_midnight() -> None:
    paris_midnight = datetime(2026, 12, 9, 23, tzinfo=UTC)
    assert LocalDay(paris_midnight).shown(ZoneInfo("Europe/Paris")) == date(2026, 12, 10)
    assert LocalDay(paris_midnight, closing=True).shown(ZoneInfo("Europe/Paris")) == date(
        2026, 12, 9
    )
    assert LocalDay(paris_midnight).shown(ZoneInfo("America/Toronto")) == paris_midnight
