"""Personal settings: `/mentorbot timezone|language` (help is `bot.registry.help`)."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.commands import SetLanguage, SetTimezone
from bot.context import Context
from bot.errors import UserError
from bot.i18n import LOCALES
from bot.replies import Reply, Text


def set_timezone(ctx: Context, command: SetTimezone) -> Reply:
    if command.zone is None:
        return Reply.say("timezone.current", zone=ctx.actor.timezone)
    try:
        ZoneInfo(command.zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UserError("timezone.unknown", zone=command.zone) from None
    ctx.uow.people.update(ctx.actor.id, timezone=command.zone)
    ctx.uow.commit()
    ctx.actor = replace(ctx.actor, timezone=command.zone)  # what the answer is shown in
    return Reply.say("timezone.set", zone=command.zone)


def set_language(ctx: Context, command: SetLanguage) -> Reply:
    if command.locale is None:
        return Reply.say("language.current", locale=ctx.actor.locale)
    if command.locale not in LOCALES:
        raise UserError("language.unknown", locale=command.locale)
    ctx.uow.people.update(ctx.actor.id, locale=command.locale)
    ctx.uow.commit()
    ctx.actor = replace(ctx.actor, locale=command.locale)
    # Answer in the language just chosen.
    return Reply((Text(f"language.set.{command.locale}"),))
