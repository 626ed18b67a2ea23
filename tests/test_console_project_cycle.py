"""One full project cycle in the console, with the clock set by MENTORBOT_CLOCK: notes, ready,
a defense with the validator, rework, ready again, a second defense, validated, next project."""

from __future__ import annotations

import re
from pathlib import Path

from tests.test_console import mentorbot

STUDENT, MENTOR, VALIDATOR = (
    "lea.dubois@example.org",
    "camille.martin@example.org",
    "hugo.laurent@example.org",
)


def at(db: Path, clock: str, email: str, *lines: str) -> str:
    run = mentorbot(
        db,
        "console",
        "--as",
        email,
        "--no-scheduler",
        stdin="\n".join(lines) + "\n",
        MENTORBOT_CLOCK=clock,
        MENTORBOT_BOOK_MIN_NOTICE_HOURS="12",
    )
    assert run.returncode == 0, run.stderr
    # Wording checks: French typography's narrow no-break spaces read as spaces.
    return run.stdout.replace("\u202f", " ")


def session_id(out: str, pattern: str) -> str:
    match = re.search(pattern, out)
    assert match, out
    return match[1]


def test_a_full_project_cycle(tmp_path: Path) -> None:
    monday = "2026-11-23T10:00:00+01:00"
    assert mentorbot(tmp_path, "demo", MENTORBOT_CLOCK=monday).returncode == 0
    out = at(tmp_path, monday, STUDENT, "/progress", "/book 2026-11-26 09:00")
    assert "1. P1 — Démarrez votre formation de développeur web : en cours" in out
    first = session_id(out, r"Séance #(\d+) réservée")

    thursday = "2026-11-26T10:00:00+01:00"
    notes = "Maquette faite | Le responsive | Soutenir P1 | oui"
    out = at(tmp_path, thursday, MENTOR, f"/notes {first} present {notes}")
    assert "Projet prêt pour la soutenance : « Démarrez votre formation de développeur web »" in out
    out = at(tmp_path, thursday, STUDENT, "/book defense", "1")
    # Each console shows its own person's messages, when that person opens it.
    assert "✉ → Léa Dubois: Camille Martin a noté votre séance" in out
    assert "votre projet est prêt pour la soutenance" in out
    defense = session_id(out, r"Soutenance #(\d+) réservée avec Hugo Laurent")

    after_defense = "2026-11-30T10:00:00+01:00"
    out = at(tmp_path, after_defense, VALIDATOR, f"/defense {defense} rework Revoir le responsive")
    assert "✉ → Hugo Laurent: Léa Dubois a réservé la soutenance" in out
    assert "projet à retravailler" in out
    out = at(
        tmp_path, after_defense, STUDENT, "/progress", "/book defense", "/book 2026-12-03 09:00"
    )
    assert "à retravailler : Revoir le responsive" in out
    assert "Votre mentor n’a pas encore jugé ce projet prêt" in out
    second = session_id(out, r"Séance #(\d+) réservée")

    thursday_after = "2026-12-03T10:00:00+01:00"
    at(tmp_path, thursday_after, MENTOR, f"/notes {second} present Corrigé | - | Soutenir | oui")
    out = at(tmp_path, thursday_after, STUDENT, "/book defense", "1")
    second_defense = session_id(out, r"Soutenance #(\d+) réservée avec Hugo Laurent")

    monday_after = "2026-12-07T10:00:00+01:00"
    at(tmp_path, monday_after, VALIDATOR, f"/defense {second_defense} validated")
    # A minute later: each run's clock restarts at MENTORBOT_CLOCK, and the news is due then.
    out = at(tmp_path, "2026-12-07T10:01:00+01:00", STUDENT, "/progress")
    assert "Soutenance validée pour Léa Dubois" in out
    assert "1. P1 — Démarrez votre formation de développeur web : validé" in out
    assert "2. P2 — Intégrez une maquette en HTML et CSS : en cours" in out
