"""The CLI as a newcomer runs it: a subprocess, piped input, a fresh SQLite file."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest


def mentorbot(
    tmp_path: Path, *args: str, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'console.db'}",
        # The booked slot must be more than the 24 h move notice away, whatever today is.
        "MENTORBOT_BOOK_MIN_NOTICE_HOURS": "48",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=120,
        check=False,
    )


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    assert mentorbot(tmp_path, "db", "upgrade").returncode == 0
    loaded = mentorbot(tmp_path, "demo")
    assert loaded.returncode == 0, loaded.stderr
    assert "Programme de démo chargé (5 personnes)" in loaded.stdout
    return tmp_path


def test_a_demo_student_books_lists_moves_and_cancels(demo_db: Path) -> None:
    script = "/book\n1\n/sessions\n2\n1\n/sessions\n/cancel\n1\n/sessions\n"
    run = mentorbot(demo_db, "console", "--as", "lea.dubois@example.org", stdin=script)
    assert run.returncode == 0, run.stderr
    # The console prints French typography (a narrow no-break space before the colon)...
    assert "Choisissez un créneau (45 min)\u202f:" in run.stdout
    # ...the wording checks below read it as a space.
    out = run.stdout.replace("\u202f", " ")
    assert out.startswith("Bonjour Léa Dubois — console mentorbot (fuseau Europe/Paris).")
    booked = re.search(r"Séance #(\d+) réservée avec Camille Martin : (.+) \(45 min\)\.", out)
    assert booked, out
    assert f"#{booked[1]} · {booked[2]} · mentorat avec Camille Martin" in out
    moved = re.search(rf"Séance #{booked[1]} déplacée au (.+)\. L’autre personne", out)
    assert moved and moved[1] != booked[2], out
    assert f"Séance #{booked[1]} du {moved[1]} annulée." in out
    assert out.rstrip().endswith("Aucune séance à venir.")
    # Léa's console shows only what is hers: the mentor's notifications wait for the mentor.
    assert "✉ → Camille Martin" not in out
    mentor = mentorbot(demo_db, "console", "--as", "camille.martin@example.org").stdout
    mentor = mentor.replace("\u202f", " ")
    assert f"✉ → Camille Martin: Léa Dubois a réservé une séance : #{booked[1]}" in mentor
    assert f"✉ → Camille Martin: Léa Dubois a déplacé la séance #{booked[1]}" in mentor
    assert mentor.index("a réservé une séance") < mentor.index("a déplacé la séance")


def test_the_console_answers_in_english_for_an_english_speaker(demo_db: Path) -> None:
    run = mentorbot(
        demo_db, "console", "--as", "sam.taylor@example.org", stdin="/book 2020-01-01 10:00\n"
    )
    assert "Hello Sam Taylor — mentorbot console (America/Toronto time)." in run.stdout
    assert "! Too soon: book at least 48 h ahead." in run.stdout


def test_the_demo_loads_once_and_run_is_idempotent(demo_db: Path) -> None:
    again = mentorbot(demo_db, "demo")
    assert again.returncode == 1 and "démo non chargée" in again.stdout
    assert mentorbot(demo_db, "demo", "--if-empty").returncode == 0


def test_an_unknown_person_is_told_how_to_start(demo_db: Path) -> None:
    run = mentorbot(demo_db, "console", "--as", "nobody@example.org")
    assert run.returncode == 1
    assert "mentorbot demo" in run.stderr


def test_a_bad_setting_stops_start_up_and_names_the_variable(tmp_path: Path) -> None:
    run = mentorbot(tmp_path, "db", "upgrade", MENTORBOT_TIMEZONE="Mars/Olympus")
    assert run.returncode == 2
    assert "MENTORBOT_TIMEZONE" in run.stderr and "Mars/Olympus" in run.stderr
    run = mentorbot(tmp_path, "db", "upgrade", MENTORBOT_BOOKING_HORIZON_DAYS="soon")
    assert run.returncode == 2 and "MENTORBOT_BOOKING_HORIZON_DAYS" in run.stderr


def test_roster_import_reports_and_refuses_a_bad_file(tmp_path: Path) -> None:
    good = tmp_path / "roster.csv"
    good.write_text(
        "email,name,role,timezone,locale,slack_id,discord_id,mentor_email,"
        "session_minutes,sessions_per_week,path\n"
        "m@x.org,M,mentor,,,,,,,,\n"
        "s@x.org,S,student,America/Toronto,en,,,m@x.org,30,1,Data\n",
        encoding="utf-8",
    )
    first = mentorbot(tmp_path, "roster", "import", str(good), MENTORBOT_LOCALE="en")
    assert first.returncode == 0, first.stderr
    assert "Import: 2 created, 0 updated, 0 unchanged, 0 rejected." in first.stdout
    second = mentorbot(tmp_path, "roster", "import", str(good), MENTORBOT_LOCALE="en")
    assert "Import: 0 created, 0 updated, 2 unchanged, 0 rejected." in second.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text(good.read_text() + "x@x.org,X,student,,,,,ghost@x.org,30,1,\n")
    third = mentorbot(tmp_path, "roster", "import", str(bad), MENTORBOT_LOCALE="en")
    assert third.returncode == 1
    assert "line 4 (x@x.org): unknown mentor “ghost@x.org”" in third.stdout
    assert "Nothing was imported" in third.stdout


def test_jobs_run_alerts_queues_and_reports(demo_db: Path) -> None:
    run = mentorbot(demo_db, "jobs", "run", "alerts", MENTORBOT_LOCALE="en")
    assert run.returncode == 0, run.stderr
    assert "Job alerts: 0 messages queued for delivery." in run.stdout
    assert mentorbot(demo_db, "jobs", "run", "nothing").returncode == 2
