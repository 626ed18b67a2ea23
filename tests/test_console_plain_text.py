"""On the console a line without a slash is a question, as a DM is on Slack and Discord."""

from __future__ import annotations

from pathlib import Path

from tests.test_console import demo_db, mentorbot  # noqa: F401  (demo_db is a fixture)

STUDENT = "lea.dubois@example.org"
MENTOR = "camille.martin@example.org"


def test_plain_text_is_asked_not_run_as_a_command(demo_db: Path) -> None:  # noqa: F811
    asked = mentorbot(demo_db, "console", "--as", STUDENT, stdin="book mon projet bloque\n")
    assert asked.returncode == 0, asked.stderr
    reply = asked.stdout.split("> book mon projet bloque\n", 1)[1].splitlines()[0]
    # `/ask`'s answer (held for the mentor's rule), not `/book`'s refusal of a date.
    assert "votre question est gardée" in reply, asked.stdout
    assert not reply.startswith("!"), asked.stdout


def test_a_slash_line_is_still_a_command(demo_db: Path) -> None:  # noqa: F811
    run = mentorbot(demo_db, "console", "--as", STUDENT, stdin="/sessions\n")
    assert "Aucune séance à venir." in run.stdout, run.stdout
