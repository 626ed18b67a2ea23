"""After a session: attendance and the mentor's evaluation; after a defense: its outcome."""

from __future__ import annotations

from bot.commands import BookDefense, RecordAttendance, RecordDefenseOutcome
from bot.context import Context
from bot.domain import (
    Notification,
    ProjectStatus,
    Role,
    Session,
    SessionKind,
    SessionNotes,
    SessionStatus,
)
from bot.errors import UserError
from bot.replies import Choice, Reply, Text
from bot.safety import neutralise
from bot.services.corrections import guard_attendance, guard_defense, session_status
from bot.services.paths import standing


def _hosted(ctx: Context, session_id: int) -> Session:
    ctx.require(Role.MENTOR, Role.VALIDATOR)
    session = ctx.uow.sessions.get(session_id)
    if session is None or session.host_id != ctx.actor.id:
        raise UserError("session.not_found", id=session_id)
    if session.starts_at > ctx.now:
        raise UserError("attendance.not_yet", id=session.id)
    return session


def record(ctx: Context, command: RecordAttendance) -> Reply:
    session = _hosted(ctx, command.session_id)
    attendance = guard_attendance(ctx, session, command) or command.attendance
    if attendance is None:
        choices = tuple(
            Choice(Text(f"attendance.choice.{a}"), RecordAttendance(session.id, a))
            for a in ("present", "absent", "late")
        )
        return Reply((Text("attendance.pick", {"id": session.id}),), choices)
    ctx.uow.sessions.set_status(session.id, session_status(attendance))
    notes = command.notes
    ctx.uow.notes.save(
        SessionNotes(
            session_id=session.id,
            attendance=attendance,
            recorded_by=ctx.actor.id,
            recorded_at=ctx.now,
            progress=notes.progress if notes else None,
            improvements=notes.improvements if notes else None,
            goals=notes.goals if notes else None,
            ready_for_defense=bool(notes and notes.ready),
        )
    )
    lines = [Text(f"attendance.recorded.{attendance}", {"id": session.id})]
    if notes is not None and session.kind == SessionKind.MENTORING:
        lines += _evaluation(ctx, session, notes.goals, notes.ready)
    ctx.uow.commit()
    return Reply(tuple(lines))


def _evaluation(ctx: Context, session: Session, goals: str, ready: bool) -> list[Text]:
    """Tell the student their goals; a ready student may book the defense of the current project."""
    lines = [Text("notes.saved")]
    current = standing(ctx.uow, session.student_id, ctx.now).current
    if ready and current and current[1].status in (ProjectStatus.IN_PROGRESS, ProjectStatus.REWORK):
        ctx.uow.paths.set_status(
            session.student_id, current[0].position, ProjectStatus.READY, ctx.now
        )
        lines.append(Text("notes.ready", {"project": current[0].title}))
    ctx.notify(
        Notification(
            idempotency_key=f"notes:{session.id}:{ctx.now.isoformat()}",
            recipient_id=session.student_id,
            key="notes.student_ready" if ready else "notes.student",
            params={"mentor": ctx.actor.name, "goals": neutralise(goals)},
            choices=(Choice(Text("choice.book_defense"), BookDefense(None)),) if ready else (),
        )
    )
    return lines


def record_defense(ctx: Context, command: RecordDefenseOutcome) -> Reply:
    session = _hosted(ctx, command.session_id)
    if session.kind != SessionKind.DEFENSE or session.project_position is None:
        raise UserError("defense.not_a_defense", id=session.id)
    guard_defense(ctx, session)
    if command.outcome == "rework" and not command.items:
        raise UserError("defense.rework_needs_items", id=session.id)
    position, student = session.project_position, session.student_id
    ctx.uow.sessions.set_status(session.id, SessionStatus.DONE)
    ctx.uow.notes.save(
        SessionNotes(session.id, "present", ctx.actor.id, ctx.now, outcome=command.outcome)
    )
    if command.outcome == "validated":
        ctx.uow.paths.set_status(student, position, ProjectStatus.VALIDATED, ctx.now)
        following = [
            p for p, _ in standing(ctx.uow, student, ctx.now).projects if p.position > position
        ]
        if following:
            ctx.uow.paths.set_status(
                student, following[0].position, ProjectStatus.IN_PROGRESS, ctx.now
            )
    else:
        ctx.uow.paths.set_status(student, position, ProjectStatus.REWORK, ctx.now, command.items)
    mentorship = ctx.uow.mentorships.for_student(student)
    recipients = [student] + ([mentorship.mentor_id] if mentorship else [])
    for person in recipients:
        ctx.notify(
            Notification(
                idempotency_key=f"defense:{session.id}:{command.outcome}:{person}",
                recipient_id=person,
                key=f"defense.{command.outcome}",
                params={"student": ctx.name_of(student), "items": neutralise(command.items or "")},
            )
        )
    ctx.uow.commit()
    return Reply.say(f"defense.recorded.{command.outcome}", id=session.id)
