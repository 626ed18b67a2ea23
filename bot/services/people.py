"""Finding the person a command is about, and checking the caller may act on them."""

from __future__ import annotations

import re

from bot.commands import PersonRef
from bot.context import Context
from bot.domain import Mentorship, Person
from bot.errors import UserError

_MENTION = re.compile(r"^<@[!&]?([A-Z0-9]+)(\|[^>]*)?>$", re.I)


def resolve(ctx: Context, ref: PersonRef) -> Person:
    """An email, or a mention (`<@U123>`, `<@U123|name>`, `<@123>`) of an account on the
    platform the command came from, as its adapter said (`ctx.platform`)."""
    person = None
    if match := _MENTION.match(ref.text):
        if ctx.platform is not None:
            person = ctx.uow.identities.person_for(ctx.platform, match[1])
    else:
        person = ctx.uow.people.by_email(ref.text)
    if person is None:
        raise UserError("error.unknown_person_ref", value=ref.text)
    return person


def own_student(ctx: Context, ref: PersonRef) -> tuple[Person, Mentorship]:
    """The mentor's own student, or a refusal that reveals nothing about other students."""
    student = resolve(ctx, ref)
    mentorship = ctx.uow.mentorships.for_student(student.id)
    if mentorship is None or mentorship.mentor_id != ctx.actor.id:
        raise UserError("error.not_your_student", value=ref.text)
    return student, mentorship
