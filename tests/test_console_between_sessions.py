"""The contact rules and alerts through the console, as three people would use them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.test_console import demo_db, mentorbot  # noqa: F401  (demo_db is a fixture)

MENTOR = "camille.martin@example.org"
STUDENT = "lea.dubois@example.org"
ADVISOR = "nadia.benali@example.org"


def as_(db: Path, email: str, *lines: str) -> str:
    run = mentorbot(db, "console", "--as", email, stdin="\n".join(lines) + "\n")
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    # Wording checks: French typography's narrow no-break spaces read as spaces.
    return run.stdout.replace("\u202f", " ")


def closed_window_now() -> str:
    """A daily window that does not contain the present moment in Paris."""
    hour = datetime.now(ZoneInfo("Europe/Paris")).hour
    return "lun-dim 13:00-23:00" if hour < 12 else "lun-dim 01:00-11:00"


def test_rules_questions_redirection_and_an_alert_lifecycle(demo_db: Path) -> None:  # noqa: F811
    # The questions for the mentor say so (`topic=mentor`): the rules are tested, not the router.
    out = as_(demo_db, STUDENT, "/ask topic=mentor Une question avant que la règle existe")
    assert "Votre mentor n’a pas encore choisi de règle de contact" in out

    out = as_(demo_db, MENTOR, "/contact none")
    assert "pas de contact entre les séances" in out
    assert "1 question en attente de votre règle a été traitée" in out
    out = as_(demo_db, STUDENT, "/ask topic=mentor Une question sur le projet 2")
    assert "gardée pour l’ordre du jour de la prochaine séance" in out

    as_(demo_db, MENTOR, "/contact async")
    out = as_(demo_db, STUDENT, "/ask topic=mentor Peux-tu relire mon code ?")
    assert "Question transmise à votre mentor" in out
    assert "✉ →" not in out  # the question waits for the mentor's own console
    out = as_(demo_db, MENTOR, f"/contact window {closed_window_now()}")
    assert "✉ → Camille Martin: Question #3 de Léa Dubois : Peux-tu relire mon code ?" in out
    out = as_(demo_db, STUDENT, "/ask topic=mentor Et une question hors fenêtre")
    assert "la vôtre lui sera transmise le" in out

    out = as_(demo_db, STUDENT, "/ask Je suis malade, je dois mettre ma formation en pause")
    assert "se voient avec votre conseiller pédagogique" in out
    assert "Contactez votre conseiller : https://example.org/contact-advisor" in out

    out = as_(demo_db, MENTOR, "/reply 3 Oui, envoie-moi le lien du dépôt")
    assert "✉ → Léa Dubois" not in out

    out = as_(
        demo_db,
        MENTOR,
        f"/escalate absence {STUDENT} Hospitalisée cette semaine -- opération lundi",
    )
    assert "Alerte #1 (absence à venir) transmise aux conseillers pédagogiques." in out
    assert "✉ → canal des conseillers" not in out  # a mentor does not read the advisors' channel

    out = as_(
        demo_db,
        ADVISOR,
        "/alerts",
        "/alerts ack 1",
        "/alerts details 1",
        "/alerts resolve 1 Vu avec l’étudiante, absence excusée",
        "/alerts all lea.dubois@example.org",
    )
    assert "✉ → canal des conseillers: Alerte #1 · absence à venir · étudiant : Léa Dubois" in out
    posted = [line for line in out.splitlines() if "✉ → canal des conseillers" in line]
    assert posted and all("opération" not in line for line in posted)
    assert "Vous prenez en charge l’alerte #1." in out
    assert "✉ → canal des conseillers (mise à jour)" in out
    assert "Statut : prise en charge par Nadia Benali" in out
    assert "Détails privés de l’alerte #1 (ne pas partager) : opération lundi" in out
    assert "Alerte #1 résolue." in out
    assert "Statut : résolue par Nadia Benali" in out
    assert "Décisions de contact pour Léa Dubois :" in out
    assert "renvoyée au conseiller" in out

    out = as_(demo_db, STUDENT, "/alerts ack 1", "/contact async")
    assert "✉ → Léa Dubois: Camille Martin a répondu à votre question" in out
    assert out.count("Cette commande n’est pas ouverte à votre rôle.") == 2
