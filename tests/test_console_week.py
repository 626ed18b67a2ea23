"""The mentor's and the student's week on the console (issue 14): availability, time off, slots."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from tests.test_console import demo_db, mentorbot  # noqa: F401  (demo_db is a fixture)

MENTOR = "camille.martin@example.org"
SAM = "sam.taylor@example.org"  # a student in Toronto, reading English


def as_(db: Path, email: str, *lines: str) -> str:
    run = mentorbot(db, "console", "--as", email, "--no-scheduler", stdin="\n".join(lines) + "\n")
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    return run.stdout


def test_day_ranges_and_windows_too_short_for_a_session(demo_db: Path) -> None:  # noqa: F811
    out = as_(
        demo_db,
        MENTOR,
        "/availability add lun-ven 07:00-08:00",
        "/availability add sam-dim 07:00-07:20",
        "/availability list",
        "/availability remove lun-ven 07:00-08:00",
        "/availability list",
    )
    added, short, listed, removed, after = out.split("\n> ")[1:]
    days = "lundi, mardi, mercredi, jeudi, vendredi de 07:00 à 08:00"
    assert "Disponibilités ajoutées" in added and days in added, added
    # The demo mentor's shortest contract is 30 minutes (Sam): 20 minutes holds no session.
    assert short.splitlines()[1].startswith("! Ce créneau est plus court qu’une séance (30 min)")
    assert listed.count("07:00") == 5, listed
    assert "Disponibilités retirées" in removed and days in removed, removed
    assert "07:00" not in after, after


def test_time_off_is_listed_and_taken_back(demo_db: Path) -> None:  # noqa: F811
    out = as_(
        demo_db,
        MENTOR,
        "/availability off 2100-03-01 2100-03-14",
        "/availability list",
        "/availability back 2100-03-02",
        "/availability back 2100-03-01",
        "/availability list",
        "/availability back 2100-03-01",
    )
    _, listed, wrong_day, back, after, again = out.split("\n> ")[1:]
    assert "Absence du" in listed and "/availability retour AAAA-MM-JJ" in listed, listed
    assert wrong_day.splitlines()[1].startswith("! Aucune absence à venir ne commence le"), out
    assert "retirée" in back and "de nouveau réservables" in back, back
    assert "Absence du" not in after and "/availability retour" not in after, after
    assert again.splitlines()[1].startswith("! Aucune absence"), again


def test_time_off_back_in_english_and_its_usage(programme_en: None = None) -> None:
    """The catalogue has the same messages with the same parameters in both languages."""
    from bot.i18n import Renderer
    from bot.replies import Text

    english = Renderer("en", "Europe/London").text(Text("week.time_off_hint"))
    assert english == "To remove a time off: /availability back YYYY-MM-DD (its first day)."


def saturday_ahead() -> str:
    """A Saturday past the 48-hour notice and inside the booking horizon."""
    day = date.today() + timedelta(days=3)
    return (day + timedelta(days=(5 - day.weekday()) % 7)).isoformat()


def test_book_a_day_lists_its_slots_in_the_students_zone_a_page_at_a_time(
    demo_db: Path,  # noqa: F811
) -> None:
    as_(demo_db, MENTOR, "/availability add sam 08:00-20:00")  # Paris: 02:00-14:00 in Toronto
    day = saturday_ahead()
    out = as_(demo_db, SAM, f"/book {day}", "9", "9", "/book 2020-01-01", f"/book {day} page x")
    first, second, third, past, bad = out.split("\n> ")[1:]
    # Sam reads Toronto hours: the window opens at 02:00 there, 30-minute sessions.
    assert "[1] Sat" in first and " 02:00" in first.splitlines()[2], first
    assert "[9] More slots" in first and "[10]" not in first, first
    assert " 06:00" in second.splitlines()[2] and "[9] More slots" in second, second
    assert " 10:00" in third.splitlines()[2] and "More slots" not in third, third
    assert "[8]" in third and " 13:30" in third, third
    assert "No free slot on" in past, past
    assert bad.splitlines()[1].startswith("! “x” is not a page number."), bad
