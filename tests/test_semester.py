"""A semester on the console (issue 14), every role in French and in English, the clock moved
week by week: the rules that used to trip a real programme, asserted as people read them.

Each step is the real CLI run as a subprocess (`mentorbot console --as EMAIL`, a roster and a
path imported by `mentorbot roster|paths import`, jobs by `mentorbot jobs run`), on one SQLite
file, with `MENTORBOT_CLOCK` set to the step's instant.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.test_console import mentorbot

LEA, SAM, ZOE = "lea@school.example", "sam@school.example", "zoe@school.example"
CAMILLE, OMAR = "camille@school.example", "omar@school.example"
HUGO, NADIA, ALEX = "hugo@school.example", "nadia@school.example", "alex@school.example"
HEADER = "email,name,role,timezone,locale,slack_id,discord_id,mentor_email,session_minutes,"
ROSTER = f"""{HEADER}sessions_per_week,path
{CAMILLE},Camille Martin,mentor,Europe/Paris,fr,,,,,,
{OMAR},Omar Diallo,mentor,Europe/London,en,,,,,,
{HUGO},Hugo Laurent,validator,Europe/Paris,fr,,,,,,
{NADIA},Nadia Benali,advisor,Europe/Paris,fr,,,,,,
{ALEX},Alex Kim,advisor,Europe/London,en,,,,,,
{LEA},Léa Dubois,student,Europe/Paris,fr,,,{CAMILLE},45,1,Web
{SAM},Sam Taylor,student,America/Toronto,en,,,{CAMILLE},30,1,Web
{ZOE},Zoé Petit,student,Europe/Paris,fr,,,{OMAR},30,1,Web
"""
WEB = "name: Web\nprojects:\n" + "".join(
    f"  - code: P{n}\n    title: Projet {n}\n" for n in (1, 2, 3)
)
ENV = {
    "MENTORBOT_BOOK_MIN_NOTICE_HOURS": "12",
    "MENTORBOT_ADVISOR_CONTACT_URL": "https://a.example",
}


def plain(out: str) -> str:
    """French typography's no-break spaces as plain ones: this test reads the rules, the
    catalogue test checks the typography."""
    return out.replace("\u202f", " ").replace("\u00a0", " ")


class Semester:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def cli(self, when: str, *args: str) -> str:
        run = mentorbot(self.folder, *args, MENTORBOT_CLOCK=when, **ENV)
        assert run.returncode == 0, run.stdout + run.stderr
        return plain(run.stdout)

    def as_(self, when: str, email: str, *lines: str) -> str:
        run = mentorbot(
            self.folder,
            "console",
            "--as",
            email,
            "--no-scheduler",
            stdin="\n".join(lines) + "\n",
            MENTORBOT_CLOCK=when,
            **ENV,
        )
        assert run.returncode == 0, run.stderr
        return plain(run.stdout)

    def load(self, when: str, name: str, text: str, *command: str) -> str:
        path = self.folder / name
        path.write_text(text, encoding="utf-8")
        return self.cli(when, *command, str(path))


def number(out: str, pattern: str) -> str:
    match = re.search(pattern, out)
    assert match, out
    return match[1]


def test_a_semester(tmp_path: Path) -> None:
    s = Semester(tmp_path)
    s.cli("2026-11-23T09:00:00+01:00", "db", "upgrade")
    s.load("2026-11-23T09:00:00+01:00", "web.yaml", WEB, "paths", "import")
    s.load("2026-11-23T09:00:00+01:00", "roster.csv", ROSTER, "roster", "import")

    # Week 1, Monday: hours, a contact window, and Sam's question held — on Sam's own clock.
    monday = "2026-11-23T10:00:00+01:00"
    s.as_(monday, CAMILLE, "/availability add lun 09:00-12:00", "/availability add jeu 09:00-12:00")
    s.as_(monday, CAMILLE, "/contact window lun-ven 18:00-20:00")
    s.as_(monday, OMAR, "/availability add thu 09:00-12:00", "/contact async")
    s.as_(monday, HUGO, "/availability add jeu 14:00-18:00")
    out = s.as_(monday, SAM, "/ask topic=mentor Could you look at my schema?")
    assert "from 12:00 to 14:00 your time" in out  # 18:00-20:00 in Paris
    assert "Europe/Paris time" in out and "Mon 23 Nov 2026 12:00" in out

    # The mentor turns to `none`: the held question goes on the agenda, and Sam is told.
    out = s.as_(monday, CAMILLE, "/contact none")
    assert "Questions en attente décidées de nouveau selon cette règle : 1" in out
    out = s.as_("2026-11-23T10:01:00+01:00", SAM, "/sessions")
    assert "your mentor changed the rule" in out and "kept for the next session" in out

    # Bookings; moving to the same slot changes nothing.
    out = s.as_(monday, LEA, "/book 2026-11-26 09:00")
    lea_1 = number(out, r"Séance #(\d+) réservée")
    out = s.as_(monday, LEA, f"/move {lea_1} 2026-11-26 09:00", "/sessions")
    assert f"La séance #{lea_1} est déjà le" in out
    assert f"[2] Déplacer #{lea_1}" in out  # still movable: no move was spent
    out = s.as_(monday, SAM, "/book 2026-11-26 04:00")  # 10:00 in Paris
    sam_1 = number(out, r"Session #(\d+) booked")

    # Thursday, 08:00 in Toronto: Sam cancels late — asked first, then confirmed.
    thursday_early = "2026-11-26T07:00:00+01:00"
    out = s.as_(thursday_early, SAM, f"/cancel {sam_1}")
    assert "counted like an absence" in out and f"/cancel {sam_1} confirm" in out
    out = s.as_(thursday_early, SAM, f"/cancel {sam_1}", "1", "/sessions")
    assert "late cancellation, counted like an absence" in out
    assert "No upcoming session." in out

    # After Léa's session: attendance once; a re-record and the late-cancelled one refused.
    thursday = "2026-11-26T10:00:00+01:00"
    out = s.as_(
        thursday,
        CAMILLE,
        f"/notes {lea_1} present Maquette | Le responsive | Soutenir P1 | oui",
        f"/notes {lea_1} absent",
        f"/notes {sam_1} present",
    )
    assert f"Sam Taylor a annulé la séance #{sam_1}" in out and "tardive" in out
    assert f"La séance #{lea_1} est déjà notée (présence)" in out
    assert f"La séance #{sam_1} a été annulée tardivement" in out
    out = s.as_(thursday, CAMILLE, f"/correct {lea_1} late -- arrivée avec 20 minutes de retard")
    assert f"Séance #{lea_1} corrigée : arrivée en retard." in out
    out = s.as_(thursday, LEA, "/book defense", "1")
    assert "corrigé la présence notée" in out and "20 minutes de retard" in out
    defense_1 = number(out, r"Soutenance #(\d+) réservée avec Hugo Laurent")

    # Week 2: the defense sends P1 to rework; a second outcome is refused.
    after_defense = "2026-12-03T15:00:00+01:00"
    out = s.as_(
        after_defense,
        HUGO,
        f"/defense {defense_1} rework Revoir le responsive",
        f"/defense {defense_1} validated",
    )
    assert f"Le résultat de la soutenance #{defense_1} est déjà noté (à retravailler)" in out
    out = s.as_(after_defense, LEA, "/progress")
    assert "à retravailler : Revoir le responsive" in out

    # The mentor takes two weeks off; her students' weeks off never count against them.
    s.as_(after_defense, CAMILLE, "/availability off 2026-12-07 2026-12-18")
    for week in ("2026-12-07T10:00:00+01:00", "2026-12-14T10:00:00+01:00"):
        s.cli(week, "jobs", "run", "checkins")  # Zoé's mentor works: she gets hers
    back = "2026-12-21T10:00:00+01:00"
    s.cli(back, "jobs", "run", "checkins")
    scan = "2026-12-21T11:00:00+01:00"  # well over a week after Zoé's last check-in
    s.cli(scan, "jobs", "run", "disengagement")
    out = s.as_(scan, ALEX, "/alerts")
    assert "Zoé Petit" in out and "weekly check-ins in a row unanswered" in out
    assert "Léa Dubois" not in out and "Sam Taylor" not in out  # their mentor was off
    out = s.as_(scan, NADIA, "/alerts")
    assert "2 points hebdomadaires consécutifs sans réponse." in out

    # A pause: no booking, "already", and /progress says so — in English for Sam.
    out = s.as_(back, NADIA, f"/pause {SAM}", f"/pause {SAM}")
    assert "Sam Taylor est déjà en pause." in out
    out = s.as_(back, SAM, "/book 2026-12-24 04:00", "/progress")
    assert "Your programme is paused" in out and "https://a.example" in out
    assert "Paused: no booking" in out
    s.as_("2026-12-28T10:00:00+01:00", NADIA, f"/resume {SAM}")

    # Back to work: P1 ready again, a second defense validated, P2 begins.
    out = s.as_("2026-12-28T10:00:00+01:00", LEA, "/book 2026-12-31 09:00")
    lea_2 = number(out, r"Séance #(\d+) réservée")
    s.as_("2026-12-31T10:00:00+01:00", CAMILLE, f"/notes {lea_2} present Corrigé | - | P1 | oui")
    out = s.as_("2026-12-31T10:00:00+01:00", LEA, "/book defense", "1")
    defense_2 = number(out, r"Soutenance #(\d+) réservée")
    s.as_("2027-01-07T15:00:00+01:00", HUGO, f"/defense {defense_2} validated")
    out = s.as_("2027-01-07T15:01:00+01:00", LEA, "/progress")
    assert "1. P1 — Projet 1 : validé" in out and "2. P2 — Projet 2 : en cours" in out

    # A mentor change: Sam's booked session with Camille is cancelled, everyone told.
    out = s.as_("2027-01-07T15:01:00+01:00", SAM, "/book 2027-01-14 04:00")
    sam_2 = number(out, r"Session #(\d+) booked")
    moved = ROSTER.replace(f"Toronto,en,,,{CAMILLE}", f"Toronto,en,,,{OMAR}")
    out = s.load("2027-01-07T15:01:30+01:00", "roster.csv", moved, "roster", "import")
    assert f"{SAM} : nouveau mentor" in out
    out = s.as_("2027-01-07T15:02:00+01:00", SAM, "/sessions")
    assert f"Session #{sam_2}" in out and "your mentor is now Omar Diallo" in out
    assert "No upcoming session." in out
    out = s.as_("2027-01-07T15:02:00+01:00", OMAR, "/progress")
    assert "Welcome: you now mentor Sam Taylor (previously with Camille Martin)" in out
    out = s.as_("2027-01-07T15:02:00+01:00", CAMILLE, "/progress")
    assert "Sam Taylor a désormais pour mentor Omar Diallo" in out
