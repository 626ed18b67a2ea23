"""`mentorbot export` and `mentorbot person export|erase`, run as a school's operator would:
subprocesses on a database of the demo programme."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

STUDENT = "lea.dubois@example.org"


def mentorbot(directory: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        "DATABASE_URL": f"sqlite:///{directory / 'mentorbot.db'}",
        "MENTORBOT_LOCALE": "en",
        "PATH": "/usr/bin:/bin",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=directory,
        timeout=120,
    )


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("school")
    assert mentorbot(directory, "demo").returncode == 0
    return directory


def test_export_writes_a_csv_spreadsheets_open(school: Path) -> None:
    out = school / "people.csv"
    done = mentorbot(
        school,
        "export",
        "checkins",
        "--from",
        "2026-01-01",
        "--to",
        "2027-12-31",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    assert "rows written to" in done.stdout
    content = out.read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert header[:3] == ["iso_week", "student_email", "student_name"]


def test_export_refuses_a_period_that_ends_before_it_starts(school: Path) -> None:
    done = mentorbot(school, "export", "sessions", "--from", "2026-12-31", "--to", "2026-01-01")
    assert done.returncode == 1


def test_person_erase_asks_then_export_shows_nothing_personal(tmp_path: Path) -> None:
    assert mentorbot(tmp_path, "demo").returncode == 0
    before = mentorbot(tmp_path, "person", "export", STUDENT)
    assert before.returncode == 0 and "Léa Dubois" in before.stdout
    person_id = json.loads(before.stdout)["person_id"]
    refused = mentorbot(tmp_path, "person", "erase", STUDENT, stdin="no\n")
    assert refused.returncode == 1 and "Nothing was erased" in refused.stdout
    erased = mentorbot(tmp_path, "person", "erase", STUDENT, stdin="yes\n")
    assert erased.returncode == 0, erased.stderr
    assert f"Person #{person_id} erased" in erased.stdout
    gone = mentorbot(tmp_path, "person", "export", STUDENT)
    assert gone.returncode == 1 and "Nobody has the email" in gone.stderr
    again = mentorbot(tmp_path, "person", "erase", "nobody@example.org", "--yes")
    assert again.returncode == 1
