"""Who handles what through the console, as a newcomer runs it (a subprocess per person): each
of the router's outcomes, the student's one-click choice, the mentor's "for the advisor", and
`mentorbot routing export` of the examples people made."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from bot.i18n import Renderer
from bot.replies import Text
from tests.test_console import demo_db, mentorbot  # noqa: F401  (demo_db is a fixture)
from tests.test_console_between_sessions import ADVISOR, MENTOR, STUDENT, as_

FR = Renderer("fr", "Europe/Paris")
URL = "https://example.org/contact-advisor"
SURE_ADVISOR = "je voudrais une deuxième séance hebdomadaire"
SURE_MENTOR = "Peux-tu relire mon code ?"
UNSURE = "probleme de connexion"


def say(key: str, **params: object) -> str:
    """As `as_` prints it: French typography's narrow spaces read as plain ones."""
    return FR.text(Text(key, params)).replace("\u202f", " ")


def relayed(question_id: int, text: str) -> str:
    """The line the mentor's console prints when a question reaches him."""
    message = say("question.relayed", id=question_id, student="Léa Dubois", text=text)
    return f"✉ → Camille Martin: {message}"


def test_a_sure_advisor_question_names_the_topic_gives_the_link_and_is_never_relayed(
    demo_db: Path,  # noqa: F811
) -> None:
    as_(demo_db, MENTOR, "/contact async")
    out = as_(demo_db, STUDENT, f"/ask {SURE_ADVISOR}")
    assert say("ask.redirected.extra_session") in out
    assert say("ask.advisor_link", url=URL) in out
    assert "Question #1" not in as_(demo_db, MENTOR, "/help")


def test_a_sure_mentor_question_is_relayed_with_the_for_the_advisor_correction(
    demo_db: Path,  # noqa: F811
) -> None:
    as_(demo_db, MENTOR, "/contact async")
    assert say("ask.relayed") in as_(demo_db, STUDENT, f"/ask {SURE_MENTOR}")
    out = as_(demo_db, MENTOR, "/help")
    assert relayed(1, SURE_MENTOR) in out
    assert f"[{say('routing.choice.for_advisor')}: /route 1 advisor]" in out
    assert say("help.route") in out  # /help names the command behind that button

    out = as_(demo_db, MENTOR, "/route 1 advisor")
    assert say("routing.redirected_by_mentor", id=1) in out
    told = as_(demo_db, STUDENT, "/help")
    assert "Camille Martin" in told and SURE_MENTOR in told and URL in told


def test_an_unsure_question_waits_for_the_students_click_then_reaches_the_mentor(
    demo_db: Path,  # noqa: F811
) -> None:
    as_(demo_db, MENTOR, "/contact async")
    out = as_(demo_db, STUDENT, f"/ask {UNSURE}")
    assert say("routing.unsure") in out and say("routing.why") in out
    assert f"  [1] {say('routing.choice.mentor')}" in out
    assert f"  [2] {say('routing.choice.advisor')}" in out
    assert "Question #1" not in as_(demo_db, MENTOR, "/contact async")  # nothing before

    # The student answers the choice by its number, in the session that asked.
    out = as_(demo_db, STUDENT, f"/ask {UNSURE}", "1")
    assert say("ask.relayed") in out
    mentor = as_(demo_db, MENTOR, "/help")
    assert relayed(2, UNSURE) in mentor
    assert "Question #1" not in mentor  # the first one still waits for its student


def test_choosing_the_advisor_gives_the_link_and_export_writes_the_choices(
    demo_db: Path,  # noqa: F811
) -> None:
    as_(demo_db, MENTOR, "/contact async")
    out = as_(demo_db, STUDENT, f"/ask {UNSURE}", "2")
    assert say("ask.advisor_link", url=URL) in out
    assert "Question #1" not in as_(demo_db, MENTOR, "/help")
    advisor = as_(demo_db, ADVISOR, "/help", "/route 1 pause")  # the advisor relabels
    assert say("help.route") in advisor
    assert say("routing.relabelled", id=1, topic=Text("ask.topic.pause")) in advisor
    assert say("help.route") not in as_(demo_db, STUDENT, "/help")  # a student clicks instead

    exported = mentorbot(demo_db, "routing", "export")
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.reader(io.StringIO(exported.stdout)))
    assert rows[0] == ["text", "language", "label", "topic"]
    assert rows[1][:3] == [UNSURE, "fr", "advisor"]  # the student's click
    assert rows[2] == [UNSURE, "fr", "advisor", "pause"]  # the advisor's label

    out_file = demo_db / "examples.csv"
    written = mentorbot(demo_db, "routing", "export", "--out", str(out_file))
    assert written.returncode == 0, written.stderr
    assert say("routing.exported", count=2) in written.stderr  # stdout stays pure CSV
    assert out_file.read_text(encoding="utf-8") == exported.stdout
