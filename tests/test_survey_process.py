"""The post-session survey in the processes a school runs, with no platform: the student books
on the console, the mentor's console (its scheduler ticking) records the session held, the
survey goes out by itself, and the student's console shows it and takes the answer."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

STUDENT, MENTOR = "lea.dubois@example.org", "camille.martin@example.org"
BOOKED_AT = "2026-11-23T10:00:00+01:00"  # Monday; the first free slot is Tuesday 09:00
AFTER = "2026-11-24T11:00:00+01:00"  # Tuesday, after the session
LATER = "2026-11-24T11:05:00+01:00"  # the student looks a few minutes after the mentor's tick


def environment(directory: Path, clock: str) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite:///{directory / 'mentorbot.db'}",
        "MENTORBOT_CLOCK": clock,
        "MENTORBOT_TICK_REMINDERS_SECONDS": "0.2",
        "MENTORBOT_TICK_CHECKINS_SECONDS": "30",
        "MENTORBOT_DELIVERY_INTERVAL_SECONDS": "0.2",
        "PATH": "/usr/bin:/bin",
    }


def console(directory: Path, clock: str, email: str, *lines: str, linger: float = 0) -> str:
    """`mentorbot console --as EMAIL`, typed line by line; `linger` seconds before leaving
    (its scheduler ticks meanwhile)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "console", "--as", email],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environment(directory, clock),
        cwd=directory,
    )
    assert process.stdin is not None
    for line in lines:
        process.stdin.write(line + "\n")
        process.stdin.flush()
    time.sleep(linger)
    out, _ = process.communicate(timeout=180)
    assert process.returncode == 0, out
    return out


def test_a_held_session_brings_the_survey_and_the_answer_is_kept(tmp_path: Path) -> None:
    setup = [sys.executable, "-m", "bot", "demo"]
    subprocess.run(setup, env=environment(tmp_path, BOOKED_AT), cwd=tmp_path, check=True)
    booked = console(tmp_path, BOOKED_AT, STUDENT, "/book", "1")
    assert "mar. 24 nov. 2026 09:00" in booked
    held = console(tmp_path, AFTER, MENTOR, "/notes 1 present", linger=4)
    assert "Traceback" not in held
    survey = console(tmp_path, LATER, STUDENT, "/feedback 1 4 très clair", "/feedback 1 9")
    assert "Comment s’est passée votre séance" in survey  # the DM, printed as it arrives
    assert "/feedback 1 5" in survey  # its buttons, as the lines to type
    assert "Merci pour votre commentaire." in survey
    assert "«\u202f9\u202f» n’est pas une note" in survey
    progress = console(tmp_path, AFTER, MENTOR, "/progress lea.dubois@example.org")
    assert "Avis après séance\u202f: 4" in progress and "très clair" in progress
