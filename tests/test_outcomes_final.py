"""Recorded outcomes are final; a correction is its own audited action, and what was derived
from the outcome follows it (issue 14). Through the core, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from bot.domain import ProjectStatus, SessionStatus
from tests.conftest import Programme
from tests.test_paths import after, booked, load_web_path, statuses


def session_status(programme: Programme, session_id: int) -> SessionStatus:
    with programme.database.uow() as uow:
        session = uow.sessions.get(session_id)
        assert session is not None
        return session.status


def corrections(programme: Programme, session_id: int) -> list[tuple[str, str | None, str, str]]:
    with programme.database.uow() as uow:
        return [
            (c.field, c.before, c.after, c.reason) for c in uow.corrections.for_session(session_id)
        ]


def absences(programme: Programme) -> int:
    now = programme.clock.now()
    with programme.database.uow() as uow:
        scan = uow.activity.scan(now, timedelta(days=30), timedelta(weeks=2), 2)
    lea = programme.people["lea"].id
    return next(a.absences for a in scan if a.student_id == lea)


def test_attendance_is_present_late_arrival_or_absent(programme: Programme) -> None:
    first = booked(programme, "lea", "/book 2026-11-26 09:00")
    after(programme, first)
    reply = programme.ok("mentor", f"/notes {first} retard")
    assert reply.lines[0].key == "attendance.recorded.late"
    # A late arrival is a session held: it is not cancelled, and no absence is counted.
    assert session_status(programme, first) == SessionStatus.DONE
    assert absences(programme) == 0
    with programme.database.uow() as uow:
        notes = uow.notes.get(first)
    assert notes is not None and notes.attendance == "late"
    # A student's late cancellation is the student's own act, not an attendance word.
    assert programme.refused("mentor", f"/notes {first} tardive") == "usage.notes"


def test_a_recorded_attendance_is_final_and_corrected_with_a_reason(programme: Programme) -> None:
    first = booked(programme, "lea", "/book 2026-11-26 09:00")
    after(programme, first)
    programme.ok("mentor", f"/notes {first} absent")
    assert absences(programme) == 1
    for line in (f"/notes {first} present", f"/notes {first} absent", f"/notes {first}"):
        assert programme.refused("mentor", line) == "notes.already_recorded"
    # Notes may still follow the attendance, once.
    programme.ok("mentor", f"/notes {first} absent Rien | Venir | W1 | non")
    assert programme.refused("mentor", f"/notes {first} absent A | B | C | non") == (
        "notes.already_recorded"
    )
    assert programme.refused("mentor", f"/correct {first} present") == "correct.needs_reason"
    assert programme.refused("mentor", f"/correct {first} absent -- oops") == "correct.same"
    assert programme.refused("mentor", f"/correct {first} validated -- x") == (
        "correct.session_words"
    )
    assert programme.refused("sam", f"/correct {first} present -- x") == "error.not_allowed"
    programme.ok("mentor", f"/correct {first} present -- she was there, wrong button")
    # What derives from it follows: the session was held, the absence no longer counts.
    assert session_status(programme, first) == SessionStatus.DONE
    assert absences(programme) == 0
    assert corrections(programme, first) == [
        ("attendance", "absent", "present", "she was there, wrong button")
    ]
    # An advisor may correct too; the mentor is told.
    programme.ok("advisor", f"/correct {first} late -- arrived 20 minutes late")
    assert [c[2] for c in corrections(programme, first)] == ["present", "late"]


def test_a_defense_outcome_is_final_and_its_correction_moves_the_path(
    programme: Programme,
) -> None:
    load_web_path(programme)
    programme.ok("validator", "/availability add jeu 14:00-18:00")
    first = booked(programme, "lea", "/book 2026-11-26 09:00")
    after(programme, first)
    programme.ok("mentor", f"/notes {first} present Fait | - | Soutenir | oui")
    defense = booked(programme, "lea", "/book defense 2026-12-03 14:00")
    after(programme, defense)
    programme.ok("validator", f"/defense {defense} rework Revoir le responsive")
    for outcome in ("validated", "rework Autre chose", "rework Revoir le responsive"):
        assert programme.refused("validator", f"/defense {defense} {outcome}") == (
            "defense.already_recorded"
        )
    assert statuses(programme, "lea")[:2] == [ProjectStatus.REWORK]
    programme.ok("validator", f"/correct {defense} validated -- les documents étaient là")
    assert statuses(programme, "lea") == [ProjectStatus.VALIDATED, ProjectStatus.IN_PROGRESS]
    programme.ok("validator", f"/correct {defense} rework Le README -- mauvais dossier relu")
    assert statuses(programme, "lea")[0] == ProjectStatus.REWORK
    assert statuses(programme, "lea")[1] == ProjectStatus.NOT_STARTED
    with programme.database.uow() as uow:
        assert uow.paths.progress(programme.people["lea"].id)[0].rework_items == "Le README"
    assert [(c[0], c[1], c[2]) for c in corrections(programme, defense)] == [
        ("outcome", "rework", "validated"),
        ("outcome", "validated", "rework"),
    ]


def test_a_correction_the_path_has_moved_past_is_refused(programme: Programme) -> None:
    load_web_path(programme)
    programme.ok("validator", "/availability add jeu 14:00-18:00")
    first = booked(programme, "lea", "/book 2026-11-26 09:00")
    after(programme, first)
    programme.ok("mentor", f"/notes {first} present Fait | - | Soutenir | oui")
    defense = booked(programme, "lea", "/book defense 2026-12-03 14:00")
    after(programme, defense)
    programme.ok("validator", f"/defense {defense} rework Revoir")
    second = booked(programme, "lea", "/book 2026-12-07 09:00")
    after(programme, second)
    programme.ok("mentor", f"/notes {second} present Corrigé | - | Soutenir | oui")
    # Ready again: the first defense's outcome is no longer the path's last word.
    assert programme.refused("validator", f"/correct {defense} validated -- x") == (
        "correct.superseded"
    )
    assert statuses(programme, "lea")[0] == ProjectStatus.READY


def test_nothing_is_recorded_on_a_session_the_student_cancelled_late(
    programme: Programme,
) -> None:
    first = booked(programme, "lea", "/book 2026-11-26 09:00")
    programme.clock.set(programme.clock.now() + timedelta(days=2, hours=12))
    programme.ok("lea", f"/cancel {first} confirm")
    after(programme, first)
    assert programme.refused("mentor", f"/notes {first} present") == "attendance.cancelled_late"
    assert programme.refused("mentor", f"/correct {first} present -- x") == (
        "attendance.cancelled_late"
    )
    assert absences(programme) == 1
