"""`/availability hours`: a host's earliest and latest hour for students far away, read on each
student's own clock by the slot search and every booking (`bot.services.slots`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.commands import SetStudentHours
from bot.context import Context
from bot.domain import Role
from bot.errors import UserError
from bot.replies import Reply, Text
from bot.services.availability import _shortest_session as shortest_session
from bot.student_hours import StudentHours, line


def set_hours(ctx: Context, command: SetStudentHours) -> Reply:
    ctx.require(Role.MENTOR, Role.VALIDATOR)
    if command.clear:
        ctx.uow.availability.set_student_hours(ctx.actor.id, None)
        ctx.uow.commit()
        return Reply.say("hours.removed")
    if command.earliest is None or command.latest is None:
        _, current = ctx.uow.availability.weekly_and_hours(ctx.actor.id)
        return Reply((line(current) if current else Text("hours.none"),))
    hours = StudentHours(command.earliest, command.latest)
    _long_enough(ctx, hours)
    ctx.uow.availability.set_student_hours(ctx.actor.id, hours)
    ctx.uow.commit()
    return Reply.say("hours.set", earliest=hours.earliest, latest=hours.latest)


def _long_enough(ctx: Context, hours: StudentHours) -> None:
    """Hours no session fits in would leave the students with nothing: refused, with the
    length of the shortest session this person hosts, as a window is."""
    minutes = shortest_session(ctx)
    day = date(2000, 1, 3)  # any day: only the clock times are compared
    span = datetime.combine(day, hours.latest) - datetime.combine(day, hours.earliest)
    if minutes and span < timedelta(minutes=minutes):
        raise UserError("hours.too_short", minutes=minutes)
