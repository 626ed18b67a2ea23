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
