"""Recorded outcomes are final: attendance, notes and defense outcomes are recorded once; a
correction is its own audited action (who, when, why, from what to what), by the host or an
advisor, and what was derived from the outcome (the path, the counts) follows it."""

from __future__ import annotations

from dataclasses import replace

from bot.commands import CorrectOutcome, NotesFields, RecordAttendance
from bot.context import Context
from bot.domain import (
    Attendance,
    Correction,
    Notification,
    ProjectStatus,
    Role,
    Session,
    SessionKind,
    SessionNotes,
    SessionStatus,
)
from bot.errors import UserError
from bot.replies import Reply, Text
from bot.safety import neutralise
from bot.services.paths import standing

OUTCOMES = ("validated", "rework")
SESSION_STATUS = {True: SessionStatus.DONE, False: SessionStatus.NO_SHOW}


def attendance_label(value: str) -> Text:
    return Text(f"attendance.value.{value}")


def session_status(attendance: str) -> SessionStatus:
    """What the session became: held (present, arrived late) or missed (no-show)."""
    return SESSION_STATUS[Attendance(attendance).held]


def guard_attendance(ctx: Context, session: Session, command: RecordAttendance) -> str | None:
    """Refuse recording again what is recorded; the attendance recorded when only the notes
    are still to add (the evaluation can follow the attendance, once)."""
    if session.status == SessionStatus.CANCELLED:
        key = "attendance.cancelled_late" if session.late_cancellation else "attendance.cancelled"
        raise UserError(key, id=session.id)
    recorded = ctx.uow.notes.get(session.id)
    if recorded is None:
        return None
    adding_notes = command.notes is not None and recorded.progress is None
    same = command.attendance in (None, recorded.attendance)
    if adding_notes and same:
        return recorded.attendance
    raise UserError(
        "notes.already_recorded", id=session.id, attendance=attendance_label(recorded.attendance)
    )


def guard_defense(ctx: Context, session: Session) -> None:
    recorded = ctx.uow.notes.get(session.id)
    if recorded is not None and recorded.outcome:
        raise UserError(
            "defense.already_recorded", id=session.id, outcome=Text(f"outcome.{recorded.outcome}")
        )


def correct(ctx: Context, command: CorrectOutcome) -> Reply:
    session = _correctable(ctx, command)
    recorded = ctx.uow.notes.get(session.id)
    if recorded is None:
        raise UserError("correct.nothing_recorded", id=session.id)
    if session.kind == SessionKind.DEFENSE:
        before, after = _defense(ctx, session, recorded, command)
        field = "outcome"
    elif command.value == "notes":
        before, after = _notes(ctx, session, recorded, command.notes)
        field = "notes"
    else:
        before, after = _attendance(ctx, session, recorded, command.value)
        field = "attendance"
    ctx.uow.corrections.add(
        Correction(session.id, field, before, after, command.reason, ctx.actor.id, ctx.now)
    )
    _tell(ctx, session, field, _label(field, after), command.reason)
    ctx.uow.commit()
    return Reply.say("correct.done", id=session.id, value=_label(field, after))


def _correctable(ctx: Context, command: CorrectOutcome) -> Session:
    ctx.require(Role.MENTOR, Role.VALIDATOR, Role.ADVISOR)
    session = ctx.uow.sessions.get(command.session_id)
    mine = session is not None and session.host_id == ctx.actor.id
    if session is None or not (mine or ctx.actor.has(Role.ADVISOR)):
        raise UserError("session.not_found", id=command.session_id)
    if not command.reason.strip():
        raise UserError("correct.needs_reason", id=session.id)
    defense = session.kind == SessionKind.DEFENSE
    if defense != (command.value in OUTCOMES):
        raise UserError("correct.defense_words" if defense else "correct.session_words")
    if session.status == SessionStatus.CANCELLED:
        raise UserError("attendance.cancelled_late", id=session.id)
    return session


def _attendance(
    ctx: Context, session: Session, recorded: SessionNotes, value: str
) -> tuple[str, str]:
    if value == recorded.attendance:
        raise UserError("correct.same", id=session.id)
    ctx.uow.sessions.set_status(session.id, session_status(value))
    ctx.uow.notes.save(_replace(recorded, attendance=value))
    return recorded.attendance, value


def _notes(
    ctx: Context, session: Session, recorded: SessionNotes, fields: NotesFields | None
) -> tuple[str, str]:
    if fields is None:
        raise UserError("usage.correct")
    ctx.uow.notes.save(
        _replace(
            recorded,
            progress=fields.progress,
            improvements=fields.improvements,
            goals=fields.goals,
            ready_for_defense=fields.ready,
        )
    )
    if fields.ready != recorded.ready_for_defense:
        _follow_readiness(ctx, session.student_id, fields.ready)
    return _notes_text(recorded), _notes_text(
        _replace(recorded, progress=fields.progress, ready_for_defense=fields.ready)
    )


def _follow_readiness(ctx: Context, student_id: int, ready: bool) -> None:
    """Ready for the defense, or no longer: the current project follows (once booked, it stays)."""
    current = standing(ctx.uow, student_id, ctx.now).current
    if current is None:
        return
    project, state = current
    if ready and state.status in (ProjectStatus.IN_PROGRESS, ProjectStatus.REWORK):
        ctx.uow.paths.set_status(student_id, project.position, ProjectStatus.READY, ctx.now)
    elif not ready and state.status == ProjectStatus.READY:
        ctx.uow.paths.set_status(student_id, project.position, ProjectStatus.IN_PROGRESS, ctx.now)


def _defense(
    ctx: Context, session: Session, recorded: SessionNotes, command: CorrectOutcome
) -> tuple[str, str]:
    """The path follows: the project and the next one go back to what the outcome makes them,
    as long as the student has not moved on since (a new defense, the next project begun)."""
    if command.value == recorded.outcome:
        raise UserError("correct.same", id=session.id)
    if command.value == "rework" and not command.items:
        raise UserError("defense.rework_needs_items", id=session.id)
    assert session.project_position is not None
    student, position = session.student_id, session.project_position
    projects = standing(ctx.uow, student, ctx.now).projects
    states = {p.position: s for p, s in projects}
    following = [p.position for p, _ in projects if p.position > position][:1]
    expected = ProjectStatus.VALIDATED if recorded.outcome == "validated" else ProjectStatus.REWORK
    next_state = states[following[0]].status if following else None
    if states.get(position) is None or states[position].status != expected:
        raise UserError("correct.superseded", id=session.id)
    if next_state not in (None, ProjectStatus.NOT_STARTED, ProjectStatus.IN_PROGRESS):
        raise UserError("correct.superseded", id=session.id)
    if command.value == "validated":
        ctx.uow.paths.set_status(student, position, ProjectStatus.VALIDATED, ctx.now)
        if following:
            ctx.uow.paths.set_status(student, following[0], ProjectStatus.IN_PROGRESS, ctx.now)
    else:
        ctx.uow.paths.set_status(student, position, ProjectStatus.REWORK, ctx.now, command.items)
        if following:
            ctx.uow.paths.set_status(student, following[0], ProjectStatus.NOT_STARTED, ctx.now)
    ctx.uow.notes.save(_replace(recorded, outcome=command.value))
    return recorded.outcome or "", command.value


def _replace(notes: SessionNotes, **changes: object) -> SessionNotes:
    return replace(notes, **changes)  # type: ignore[arg-type]


def _notes_text(notes: SessionNotes) -> str:
    return f"{notes.progress or ''} | ready={notes.ready_for_defense}"


def _label(field: str, value: str) -> Text:
    if field == "attendance":
        return attendance_label(value)
    return Text(f"outcome.{value}" if field == "outcome" else "correct.notes_value")


def _tell(ctx: Context, session: Session, field: str, value: Text, reason: str) -> None:
    """The student, and the host when an advisor corrected: what changed, and why."""
    recipients = {session.student_id, session.host_id} - {ctx.actor.id}
    for person in sorted(recipients):
        ctx.notify(
            Notification(
                idempotency_key=f"correction:{session.id}:{ctx.now.isoformat()}:{person}",
                recipient_id=person,
                key=f"correct.notify.{field}",
                params={
                    "id": session.id,
                    "by": ctx.actor.name,
                    "value": value,
                    "reason": neutralise(reason),
                },
            )
        )
