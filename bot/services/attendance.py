"""After a session its host records attendance; absences feed the disengagement signal."""

from __future__ import annotations

from bot.commands import RecordAttendance
from bot.context import Context
from bot.domain import Role, SessionStatus
from bot.errors import UserError
from bot.replies import Choice, Reply, Text

OUTCOMES = {"present": SessionStatus.DONE, "absent": SessionStatus.NO_SHOW}


def record(ctx: Context, command: RecordAttendance) -> Reply:
    ctx.require(Role.MENTOR, Role.VALIDATOR)
    session = ctx.uow.sessions.get(command.session_id)
    if session is None or session.host_id != ctx.actor.id:
        raise UserError("session.not_found", id=command.session_id)
    if command.attendance is None:
        choices = tuple(
            Choice(Text(f"attendance.choice.{a}"), f"/notes {session.id} {a}")
            for a in ("present", "absent", "late")
        )
        return Reply((Text("attendance.pick", {"id": session.id}),), choices)
    if session.starts_at > ctx.now:
        raise UserError("attendance.not_yet", id=session.id)
    if command.attendance == "late":
        ctx.uow.sessions.cancel(session.id, by=session.student_id, at=ctx.now, late=True)
    else:
        ctx.uow.sessions.set_status(session.id, OUTCOMES[command.attendance])
    ctx.uow.commit()
    return Reply.say(f"attendance.recorded.{command.attendance}", id=session.id)
