"""Help and personal settings: `/mentorbot help|timezone|language`."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.commands import SetLanguage, SetTimezone, ShowHelp
from bot.context import Context
from bot.domain import Role
from bot.errors import UserError
from bot.i18n import LOCALES
from bot.replies import Reply, Text

HELP_BY_ROLE = {
    Role.STUDENT: (
        "help.book",
        "help.sessions",
        "help.cancel",
        "help.move",
        "help.ask",
        "help.checkin",
        "help.defense_book",
        "help.progress",
    ),
    Role.MENTOR: (
        "help.sessions",
        "help.cancel",
        "help.move",
        "help.availability",
        "help.contact",
        "help.reply",
        "help.route",
        "help.escalate",
        "help.notes",
        "help.progress",
    ),
    Role.VALIDATOR: ("help.sessions", "help.availability", "help.defense"),
    Role.ADVISOR: ("help.alerts", "help.pause", "help.route", "help.progress"),
}


def show_help(ctx: Context, command: ShowHelp) -> Reply:
    keys: list[str] = []
    for role in Role:
        if ctx.actor.has(role):
            keys += [k for k in HELP_BY_ROLE[role] if k not in keys]
    keys += ["help.settings", "help.link"]
    lines = [Text("help.title", {"name": ctx.actor.name})]
    lines += [Text(key) for key in keys]
    return Reply(tuple(lines))


def set_timezone(ctx: Context, command: SetTimezone) -> Reply:
    if command.zone is None:
        return Reply.say("timezone.current", zone=ctx.actor.timezone)
    try:
        ZoneInfo(command.zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UserError("timezone.unknown", zone=command.zone) from None
    ctx.uow.people.update(ctx.actor.id, timezone=command.zone)
    ctx.uow.commit()
    return Reply.say("timezone.set", zone=command.zone)


def set_language(ctx: Context, command: SetLanguage) -> Reply:
    if command.locale is None:
        return Reply.say("language.current", locale=ctx.actor.locale)
    if command.locale not in LOCALES:
        raise UserError("language.unknown", locale=command.locale)
    ctx.uow.people.update(ctx.actor.id, locale=command.locale)
    ctx.uow.commit()
    # Answer in the language just chosen.
    return Reply((Text(f"language.set.{command.locale}"),))
