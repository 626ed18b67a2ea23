"""An import file the command line cannot read is said in the catalogue, in the programme's
language: never the system's English text ("[Errno 2] No such file or directory")."""

from __future__ import annotations

from pathlib import Path

from tests.test_console import mentorbot


def test_a_missing_roster_file_is_said_in_french(tmp_path: Path) -> None:
    run = mentorbot(tmp_path, "roster", "import", "promo.csv")
    assert run.returncode == 1
    assert run.stderr.strip() == "Fichier introuvable\u202f: promo.csv"


def test_a_folder_given_as_a_path_file_is_said_in_english(tmp_path: Path) -> None:
    (tmp_path / "paths").mkdir()
    run = mentorbot(tmp_path, "paths", "import", "paths", MENTORBOT_LOCALE="en")
    assert run.returncode == 1
    assert run.stderr.strip() == (
        "Cannot read paths: check that it is a file and that you may read it."
    )
    assert "Errno" not in run.stderr
