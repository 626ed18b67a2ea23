"""`/person export|erase PERSON`: an advisor's privacy requests. The export arrives as a JSON
file by DM; erasing asks for a confirmation first (a button, or the word `confirm`)."""

from __future__ import annotations

from bot import privacy
from bot.attachments import JSON, Attachment
from bot.commands import ErasePerson, ExportPerson
from bot.context import Context
from bot.domain import Notification, Person, Role
from bot.errors import UserError
from bot.replies import Choice, Reply, Text
from bot.services.people import resolve


def export_person(ctx: Context, command: ExportPerson) -> Reply:
    ctx.require(Role.ADVISOR)
    person = resolve(ctx, command.person)
    content = privacy.export_person(ctx.uow, person, ctx.now)
    ctx.notify(
        Notification(
            f"person-export:{ctx.actor.id}:{person.id}:{ctx.now.isoformat()}",
            ctx.actor.id,
            "privacy.export_file",
            {"name": person.name},
            attachments=(Attachment(f"mentorbot-person-{person.id}.json", JSON, content),),
        )
    )
    ctx.uow.commit()
    return Reply.say("privacy.export_queued", name=person.name)


def erase_person(ctx: Context, command: ErasePerson) -> Reply:
    ctx.require(Role.ADVISOR)
    person = _person(ctx, command)
    if person.id == ctx.actor.id:
        raise UserError("privacy.not_yourself")
    if privacy.is_erased(person):
        return Reply.say("privacy.already_erased", id=person.id)
    if not command.confirmed:
        confirm = Choice(Text("privacy.confirm_button"), ErasePerson(None, True, person.id))
        return Reply(
            (Text("privacy.confirm", {"name": person.name, "email": person.email}),), (confirm,)
        )
    counts = privacy.erase_person(
        ctx.uow, person, ctx.now, ctx.settings, by="advisor", by_id=ctx.actor.id
    )
    ctx.uow.commit()
    return Reply.say("privacy.erased", id=person.id, sessions=counts["sessions_cancelled"])


def _person(ctx: Context, command: ErasePerson) -> Person:
    if command.person is not None:
        return resolve(ctx, command.person)
    person = ctx.uow.people.get(command.person_id) if command.person_id is not None else None
    if person is None:
        raise UserError("usage.person")
    return person
