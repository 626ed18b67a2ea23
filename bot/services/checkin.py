"""The weekly check-in, answered any time with `/checkin`."""

from __future__ import annotations

from bot.commands import AnswerCheckin
from bot.context import Context
from bot.domain import Role
from bot.errors import UserError
from bot.replies import Reply, Text
from bot.safety import neutralise


def answer(ctx: Context, command: AnswerCheckin) -> Reply:
    ctx.require(Role.STUDENT)
    if command.answer is None:
        return Reply((Text("checkin.form"), Text("checkin.usage")))
    if not command.answer.progress or not command.answer.goal:
        raise UserError("checkin.usage")
    year, week, _ = ctx.now.astimezone(ctx.actor.zone).isocalendar()
    ctx.uow.checkins.answer(ctx.actor.id, (year, week), command.answer, ctx.now)
    ctx.uow.commit()
    return Reply.say("checkin.thanks", goal=neutralise(command.answer.goal))
