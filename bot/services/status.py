"""Advisors pause and resume a person: no check-ins, no risk counting while paused."""

from __future__ import annotations

from bot.commands import SetPersonStatus
from bot.context import Context
from bot.domain import Role
from bot.replies import Reply
from bot.services.people import resolve


def set_status(ctx: Context, command: SetPersonStatus) -> Reply:
    ctx.require(Role.ADVISOR)
    person = resolve(ctx, command.person)
    ctx.uow.people.update(person.id, status=command.status)
    ctx.uow.commit()
    return Reply.say(f"status.{command.status.value}", name=person.name)
