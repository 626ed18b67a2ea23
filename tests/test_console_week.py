"""The mentor's and the student's week on the console (issue 14): availability, time off, slots."""

from __future__ import annotations

from pathlib import Path

from tests.test_console import demo_db, mentorbot  # noqa: F401  (demo_db is a fixture)

MENTOR = "camille.martin@example.org"


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
    assert "Absent du" in listed and "/availability back AAAA-MM-JJ" in listed, listed
    assert wrong_day.splitlines()[1].startswith("! Aucune absence à venir ne commence le"), out
    assert "retirée" in back and "de nouveau réservables" in back, back
    assert "Absent du" not in after and "/availability back" not in after, after
    assert again.splitlines()[1].startswith("! Aucune absence"), again


def test_time_off_back_in_english_and_its_usage(programme_en: None = None) -> None:
    """The catalogue has the same messages with the same parameters in both languages."""
    from bot.i18n import Renderer
    from bot.replies import Text

    english = Renderer("en", "Europe/London").text(Text("week.time_off_hint"))
    assert english == "To remove a time off: /availability back YYYY-MM-DD (its first day)."
