"""The advisor's day on the console, as a subprocess a school runs: a mentor escalates, the
advisor lists alerts (each with its numbered buttons, typed as command lines) and students,
acknowledges from the list, and the mentor reads that it was taken up; `/progress` alone
points the advisor to `/students`."""

from __future__ import annotations

from pathlib import Path

from tests.test_console_overview import ADVISOR, mentorbot

MENTOR = "camille.martin@example.org"


def test_the_advisor_lists_alerts_and_students_in_the_console(tmp_path: Path) -> None:
    assert mentorbot(tmp_path, "demo").returncode == 0
    escalate = "/escalate absence lea.dubois@example.org Absente deux fois -- privé\n"
    mentor = mentorbot(tmp_path, "console", "--as", MENTOR, "--no-scheduler", stdin=escalate)
    assert mentor.returncode == 0, mentor.stderr
    lines = "/alerts\n/alerts ack 1\n/students\n/students paused\n/progress\n"
    advisor = mentorbot(tmp_path, "console", "--as", ADVISOR, "--no-scheduler", stdin=lines)
    assert advisor.returncode == 0, advisor.stderr
    out = advisor.stdout
    assert "Alertes 1–1 sur 1" in out and "[1] Prendre en charge #1" in out
    assert "[3] Détails #1 (privé)" in out
    assert "Vous prenez en charge l’alerte #1." in out
    assert "Étudiants 1–2 sur 2" in out and "mentor\u202f: Camille Martin" in out
    assert "projet\u202f: P1 Démarrez votre formation de développeur web" in out
    assert "dernière séance\u202f: aucune" in out
    assert "Personne ne correspond." in out  # nobody paused
    assert "étudiants du programme\u202f: /students" in out  # /progress points to the list
    assert "[1] Voir les étudiants" in out
    mine = mentorbot(tmp_path, "console", "--as", MENTOR, "--no-scheduler", stdin="/students\n")
    assert "Étudiants 1–2 sur 2" in mine.stdout  # Camille's own two
    assert "Votre alerte #1 (absence à venir, Léa Dubois) a été prise en charge par Nadia" in (
        mine.stdout
    )  # told when it was taken up, in the mentor's console
    assert "privé" not in mine.stdout.split("> /escalate")[-1]
