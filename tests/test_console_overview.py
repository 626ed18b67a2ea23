"""The advisors' view on the console, as a subprocess: `/overview` answers, and the weekly
digest's chart is written to the console's folder and named."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ADVISOR = "nadia.benali@example.org"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def mentorbot(directory: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        "DATABASE_URL": f"sqlite:///{directory / 'mentorbot.db'}",
        "MENTORBOT_LOCALE": "en",
        "MENTORBOT_CONSOLE_FILES_DIR": str(directory / "files"),
        "PATH": "/usr/bin:/bin",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=directory,
        timeout=180,
    )


def test_the_advisor_reads_the_overview_and_gets_the_digest_chart(tmp_path: Path) -> None:
    assert mentorbot(tmp_path, "demo").returncode == 0
    assert mentorbot(tmp_path, "jobs", "run", "digest").returncode == 0
    session = mentorbot(
        tmp_path,
        "console",
        "--as",
        ADVISOR,
        "--no-scheduler",
        stdin="/overview\n/export sessions\n",
    )
    assert session.returncode == 0, session.stderr
    out = session.stdout
    assert "personnes suivies" in out and "Charge des mentors" in out  # Nadia reads French
    charts = list((tmp_path / "files").glob("mentorbot-weeks-*.png"))
    assert len(charts) == 1 and charts[0].read_bytes().startswith(PNG_MAGIC)
    assert charts[0].name in out  # the console says where it wrote it
    assert list((tmp_path / "files").glob("mentorbot-sessions-*.csv"))  # the export, by "DM"
    student = mentorbot(tmp_path, "console", "--no-scheduler", stdin="/overview\n")
    assert "! Cette commande n’est pas ouverte à votre rôle." in student.stdout  # the student
