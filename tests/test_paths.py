"""Paths, the mentor's evaluation and defenses: a project's whole life, through the core."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import scheduled
from bot.action_lines import command_line
from bot.domain import ProjectStatus, SessionKind, SessionStatus
from bot.errors import UserError
from bot.i18n import Renderer
from bot.outbox import OutboxWorker
from bot.replies import Text
from bot.services.paths import import_paths, parse_path_file
from bot.services.roster import import_roster
from tests.conftest import ROSTER, Programme, make_settings
from tests.recording import RecordingDeliverer

EXAMPLES = Path(__file__).resolve().parents[1] / "bot" / "paths"
WEB = "name: Web\nprojects:\n" + "".join(
    f"  - code: W{n}\n    title: Projet {n}\n" for n in (1, 2, 3)
)


def load_web_path(programme: Programme) -> None:
    with programme.database.uow() as uow:
        import_paths(uow, "web.yaml", WEB)
        uow.commit()


def statuses(programme: Programme, who: str) -> list[ProjectStatus]:
    with programme.database.uow() as uow:
        return [p.status for p in uow.paths.progress(programme.people[who].id)]


def booked(programme: Programme, who: str, line: str) -> int:
    reply = programme.ok(who, line)
    return int(reply.lines[0].params["id"])  # type: ignore[call-overload]


def after(programme: Programme, session_id: int) -> None:
    with programme.database.uow() as uow:
        session = uow.sessions.get(session_id)
    assert session is not None
    programme.clock.set(session.ends_at)


def test_the_example_paths_parse_and_reimport_without_duplicates(programme: Programme) -> None:
    (web,) = parse_path_file(
        "developpeur-web.yaml", (EXAMPLES / "developpeur-web.yaml").read_text()
    )
    (data,) = parse_path_file("data-analyst.csv", (EXAMPLES / "data-analyst.csv").read_text())
    assert (web[0], len(web[1])) == ("Développeur web", 10)
    assert (data[0], len(data[1]), data[1][0][0]) == ("Data analyst", 8, "DA1")
    for _ in range(2):
        with programme.database.uow() as uow:
            import_paths(uow, "web.yaml", WEB)
            uow.commit()
    with programme.database.uow() as uow:
        assert [p.code for p in uow.paths.projects("Web")] == ["W1", "W2", "W3"]
    with pytest.raises(UserError):
        parse_path_file("broken.yaml", "name: X\nprojects: nope\n")
    for position in ("٣", "²", "1.5"):  # int() reads Arabic-Indic digits: positions are ASCII
        with pytest.raises(UserError):
            parse_path_file("p.csv", f"path,position,code,title\nWeb,{position},W1,Projet\n")


def test_a_projects_whole_life(programme: Programme) -> None:
    load_web_path(programme)
    programme.ok("validator", "/availability add jeu 14:00-18:00")
    assert programme.ok("lea", "/progress").lines[1].params["status"].key == "project.in_progress"  # type: ignore[attr-defined]

    # A session and its notes: goals for the student, not ready yet.
    first = booked(programme, "lea", "/book 2026-11-26 09:00")
    after(programme, first)
    programme.ok("mentor", f"/notes {first} present Maquette faite | Les tests | Finir W1 | non")
    assert programme.refused("lea", "/book defense") == "defense.not_ready"

    # Ready: the student books a defense with a validator who is not her mentor.
    second = booked(programme, "lea", "/book 2026-11-30 09:00")
    after(programme, second)
    reply = programme.ok("mentor", f"/notes {second} present W1 fini | Rien | Soutenir | oui")
    assert [line.key for line in reply.lines][-1] == "notes.ready"
    assert statuses(programme, "lea")[0] == ProjectStatus.READY
    offer = programme.ok("lea", "/book defense")
    assert offer.lines[0].key == "defense.pick_slot"
    defense = booked(programme, "lea", command_line(offer.choices[0].action))
    with programme.database.uow() as uow:
        session = uow.sessions.get(defense)
    assert session and session.kind == SessionKind.DEFENSE
    assert session.host_id == programme.people["validator"].id
    assert (
        session.ends_at - session.starts_at
        == make_settings("sqlite://").defense_minutes * (session.ends_at - session.starts_at) / 30
    )
    assert statuses(programme, "lea")[0] == ProjectStatus.DEFENSE_BOOKED
    assert programme.refused("lea", "/book defense") == "defense.already_booked"

    # Rework, then ready again, a second defense, validated: the next project starts.
    after(programme, defense)
    assert (
        programme.refused("validator", f"/defense {defense} rework") == "defense.rework_needs_items"
    )
    programme.ok("validator", f"/defense {defense} rework Revoir les tests ; la doc")
    assert statuses(programme, "lea")[0] == ProjectStatus.REWORK
    assert programme.refused("lea", "/book defense") == "defense.not_ready"
    third = booked(programme, "lea", "/book 2026-12-07 09:00")
    after(programme, third)
    programme.ok("mentor", f"/notes {third} present Tests refaits | - | Soutenir | oui")
    second_defense = booked(
        programme, "lea", command_line(programme.ok("lea", "/book defense").choices[0].action)
    )
    after(programme, second_defense)
    programme.ok("validator", f"/defense {second_defense} validated")
    assert statuses(programme, "lea")[:2] == [ProjectStatus.VALIDATED, ProjectStatus.IN_PROGRESS]
    with programme.database.uow() as uow:
        assert uow.sessions.get(second_defense).status == SessionStatus.DONE  # type: ignore[union-attr]

    # What everyone was told, and what the student's path now says.
    deliverer = RecordingDeliverer()
    OutboxWorker(programme.database.uow, programme.clock, deliverer).drain()
    told = [(p.name, n.key) for p, n in deliverer.sent]
    assert ("Léa Dubois", "notes.student") in told
    assert ("Léa Dubois", "notes.student_ready") in told
    assert ("Hugo Laurent", "notify.defense_booked") in told
    assert ("Camille Martin", "defense.rework") in told
    assert ("Léa Dubois", "defense.validated") in told
    path = Renderer("fr", "Europe/Paris").reply(programme.ok("lea", "/progress"))
    assert path[1:3] == ["1. W1 — Projet 1\u202f: validé", "2. W2 — Projet 2\u202f: en cours"]
    assert path[-1] == "Objectifs actuels\u202f: Soutenir"


def test_cancelling_a_defense_makes_the_project_ready_again(programme: Programme) -> None:
    load_web_path(programme)
    programme.ok("validator", "/availability add jeu 14:00-18:00")
    first = booked(programme, "lea", "/book 2026-11-26 09:00")
    after(programme, first)
    programme.ok("mentor", f"/notes {first} present ok | ok | ok | yes")
    defense = booked(
        programme, "lea", command_line(programme.ok("lea", "/book defense").choices[0].action)
    )
    programme.ok("lea", f"/cancel {defense}")
    assert statuses(programme, "lea")[0] == ProjectStatus.READY


def test_a_validator_is_never_booked_for_their_own_mentee(programme: Programme) -> None:
    max_row = (
        "max@school.example,Max,student,Europe/Paris,fr,,,other.mentor@school.example,30,1,Web"
    )
    extra = f"{ROSTER.splitlines()[0]}\n{max_row}\n"
    with programme.database.uow() as uow:
        import_roster(uow, extra, "Europe/Paris", "fr", programme.clock.now())
        import_paths(uow, "web.yaml", WEB)
        uow.commit()
        max_ = uow.people.by_email("max@school.example")
    assert max_ is not None
    programme.people["max"] = max_
    programme.ok("other.mentor", "/availability add jeu 08:00-18:00")
    first = booked(programme, "max", "/book 2026-11-26 10:00")
    after(programme, first)
    programme.ok("other.mentor", f"/notes {first} present ok | ok | ok | oui")
    # Omar, Max's mentor, is the only validator with availability: no slot for Max.
    assert programme.ok("max", "/book defense").lines[0].key == "defense.no_slot"
    programme.ok("validator", "/availability add jeu 14:00-18:00")
    offer = programme.ok("max", "/book defense")
    assert offer.choices
    defense = booked(programme, "max", command_line(offer.choices[0].action))
    with programme.database.uow() as uow:
        assert uow.sessions.get(defense).host_id == programme.people["validator"].id  # type: ignore[union-attr]


def test_progress_views_by_role(programme: Programme) -> None:
    load_web_path(programme)
    programme.ok("mentor", "/contact none")
    session = booked(programme, "lea", "/book 2026-11-26 09:00")
    run_checkins = scheduled.JOBS["checkins"]
    with programme.database.uow() as uow:
        run_checkins(uow, programme.clock.now(), make_settings("sqlite://"))
    programme.ok("lea", "/checkin 4 ok | rien | avancer")
    after(programme, session)
    programme.ok("mentor", f"/notes {session} present Bonne séance | CSS | W1 | non")
    overview = Renderer("en", "UTC").reply(programme.ok("mentor", "/progress"))
    assert overview[0] == "Your students:"
    assert "Léa Dubois — Projet 1 (in progress)" in overview
    assert "Confidence (latest check-ins): 4 · attendance: 1/1" in overview
    assert (
        programme.ok("mentor", "/progress lea@school.example").lines[-1].key
        == "progress.last_notes"
    )
    assert (
        programme.ok("advisor", "/progress sam@school.example").lines[0].key == "progress.no_path"
    )
    assert programme.refused("lea", "/progress sam@school.example") == "error.not_allowed"
    assert (
        programme.refused("other.mentor", "/progress lea@school.example")
        == "error.not_your_student"
    )
    pointer = programme.ok("advisor", "/progress")  # the programme's students: /students
    assert pointer.lines[0].key == "progress.advisor_students"


def test_the_weekly_digest_counts_sessions_alerts_and_defenses(programme: Programme) -> None:
    first = booked(programme, "lea", "/book 2026-11-26 09:00")
    second = booked(programme, "sam", "/book 2026-11-26 04:00")
    after(programme, second)
    programme.ok("mentor", f"/notes {first} present")
    programme.ok("mentor", f"/notes {second} absent")
    programme.ok("mentor", "/escalate desengagement sam@school.example Ne vient plus")
    with programme.database.uow() as uow:
        assert scheduled.digest(uow, programme.clock.now(), make_settings("sqlite://")) == 1
    deliverer = RecordingDeliverer()
    OutboxWorker(programme.database.uow, programme.clock, deliverer).drain()
    (digest,) = [n for n in deliverer.posted if n.key == "digest.weekly"]
    text = Renderer("en", "Europe/Paris").text(Text(digest.key, digest.params))
    assert "Camille Martin (held: 1, missed: 1)" in text
    assert "Open alerts: 1" in text and "Students at risk: Sam Taylor" in text
