"""The command reference as application commands with typed options.

A callback only joins its options into the text the core parses (`/book 2026-12-01 10:00`) and
hands it to the handler; with no options the core answers with choices, shown as buttons or a
menu. Names, descriptions and choices are `locale_str`s: French and English at sync.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from adapters.discord import autocomplete, commands_advisors, commands_between, commands_paths
from adapters.discord.handler import Handler
from adapters.discord.options import DAYS, KINDS, LANGUAGES, words
from adapters.discord.translator import description, name
from bot.commands import BookDefense, BookSession, CancelSession, Command, MoveSession
from bot.text import ascii_int

Interaction = discord.Interaction[Any]
Choice = app_commands.Choice
Tree = app_commands.CommandTree[Any]


def register(tree: Tree, handler: Handler) -> None:
    """Booking and settings here; between sessions, paths and the advisors' in their own
    modules."""
    for command in (
        book(handler),
        sessions(handler),
        cancel(handler),
        move(handler),
        availability(handler),
        mentorbot(handler),
        *commands_between.commands(handler),
        *commands_paths.commands(handler),
        *commands_advisors.commands(handler),
    ):
        tree.add_command(command)


def book(handler: Handler) -> app_commands.Command[Any, ..., None]:
    """`/book [defense] [DATE TIME]`: a mentoring session unless `kind` says the defense."""

    @app_commands.command(name=name("book"), description=description("book"))
    @app_commands.rename(date=name("opt_date"), time=name("opt_time"), kind=name("opt_kind"))
    @app_commands.describe(
        date=description("opt_date"), time=description("opt_time"), kind=description("opt_kind")
    )
    @app_commands.choices(kind=KINDS)
    async def command(
        interaction: Interaction,
        date: str | None = None,
        time: str | None = None,
        kind: str | None = None,
    ) -> None:
        await handler.command(interaction, "book", words(_defense(kind), date, time))

    @command.autocomplete("date")
    async def dates(interaction: Interaction, current: str) -> list[Choice[str]]:
        offer = _offer(interaction.namespace.kind)
        return await autocomplete.slot_dates(handler, interaction, offer, current)

    @command.autocomplete("time")
    async def times(interaction: Interaction, current: str) -> list[Choice[str]]:
        offer = _offer(interaction.namespace.kind)
        return await autocomplete.slot_times(handler, interaction, offer, current)

    return command


def _offer(kind: object) -> Command:
    """What offers the slots to pick among: the defense's, or a mentoring session's."""
    return BookDefense(None) if kind == "defense" else BookSession(None)


def _moving(session: object) -> Command | None:
    """The session being moved, as typed so far (nothing to offer before it is chosen)."""
    number = ascii_int(str(session).strip().lstrip("#")) if session is not None else None
    return MoveSession(number, None) if number is not None else None


def _defense(kind: object) -> str:
    """The word that makes `/book` book the defense (the default kind needs none)."""
    return "defense" if kind == "defense" else ""


def sessions(handler: Handler) -> app_commands.Command[Any, ..., None]:
    @app_commands.command(name=name("sessions"), description=description("sessions"))
    async def command(interaction: Interaction) -> None:
        await handler.command(interaction, "sessions")

    return command


def cancel(handler: Handler) -> app_commands.Command[Any, ..., None]:
    @app_commands.command(name=name("cancel"), description=description("cancel"))
    @app_commands.rename(session=name("opt_session"))
    @app_commands.describe(session=description("opt_session"))
    async def command(interaction: Interaction, session: int | None = None) -> None:
        await handler.command(interaction, "cancel", words(session))

    @command.autocomplete("session")
    async def numbers(interaction: Interaction, current: str) -> list[Choice[int]]:
        return await autocomplete.session_ids(handler, interaction, CancelSession(None), current)

    return command


def move(handler: Handler) -> app_commands.Command[Any, ..., None]:
    @app_commands.command(name=name("move"), description=description("move"))
    @app_commands.rename(session=name("opt_session"), date=name("opt_date"), time=name("opt_time"))
    @app_commands.describe(
        session=description("opt_session"),
        date=description("opt_date"),
        time=description("opt_time"),
    )
    async def command(
        interaction: Interaction, session: int, date: str | None = None, time: str | None = None
    ) -> None:
        await handler.command(interaction, "move", words(session, date, time))

    @command.autocomplete("session")
    async def numbers(interaction: Interaction, current: str) -> list[Choice[int]]:
        offer = MoveSession(None, None)
        return await autocomplete.session_ids(handler, interaction, offer, current)

    @command.autocomplete("date")
    async def dates(interaction: Interaction, current: str) -> list[Choice[str]]:
        offer = _moving(interaction.namespace.session)
        if offer is None:
            return []
        return await autocomplete.slot_dates(handler, interaction, offer, current)

    @command.autocomplete("time")
    async def times(interaction: Interaction, current: str) -> list[Choice[str]]:
        offer = _moving(interaction.namespace.session)
        if offer is None:
            return []
        return await autocomplete.slot_times(handler, interaction, offer, current)

    return command


def availability(handler: Handler) -> app_commands.Group:
    group = app_commands.Group(name=name("availability"), description=description("availability"))
    for action in ("add", "remove"):
        _window(group, handler, action)

    @group.command(name=name("availability_off"), description=description("availability_off"))
    @app_commands.rename(first=name("opt_first"), last=name("opt_last"))
    @app_commands.describe(first=description("opt_first"), last=description("opt_last"))
    async def off(interaction: Interaction, first: str, last: str | None = None) -> None:
        await handler.command(interaction, "availability", words("off", first, last))

    @group.command(name=name("availability_list"), description=description("availability_list"))
    async def listing(interaction: Interaction) -> None:
        await handler.command(interaction, "availability", "list")

    return group


def _window(group: app_commands.Group, handler: Handler, action: str) -> None:
    """`/availability add|remove DAY HH:MM-HH:MM`, with the day as a choice."""
    path = f"availability_{action}"

    @group.command(name=name(path), description=description(path))
    @app_commands.rename(day=name("opt_day"), start=name("opt_start"), end=name("opt_end"))
    @app_commands.describe(
        day=description("opt_day"), start=description("opt_start"), end=description("opt_end")
    )
    @app_commands.choices(day=DAYS)
    async def window(interaction: Interaction, day: str, start: str, end: str) -> None:
        hours = f"{start.strip()}-{end.strip()}"
        await handler.command(interaction, "availability", words(action, day, hours))


def mentorbot(handler: Handler) -> app_commands.Group:
    group = app_commands.Group(name=name("mentorbot"), description=description("mentorbot"))

    @group.command(name=name("mentorbot_help"), description=description("mentorbot_help"))
    async def help_(interaction: Interaction) -> None:
        await handler.command(interaction, "mentorbot", "help")

    @group.command(name=name("mentorbot_language"), description=description("mentorbot_language"))
    @app_commands.rename(language=name("opt_language"))
    @app_commands.describe(language=description("opt_language"))
    @app_commands.choices(language=LANGUAGES)
    async def language(interaction: Interaction, language: str | None = None) -> None:
        await handler.command(interaction, "mentorbot", words("language", language))

    _timezone(group, handler)
    _link(group, handler)
    return group


def _timezone(group: app_commands.Group, handler: Handler) -> None:
    @group.command(name=name("mentorbot_timezone"), description=description("mentorbot_timezone"))
    @app_commands.rename(zone=name("opt_zone"))
    @app_commands.describe(zone=description("opt_zone"))
    async def timezone(interaction: Interaction, zone: str | None = None) -> None:
        await handler.command(interaction, "mentorbot", words("timezone", zone))

    @timezone.autocomplete("zone")
    async def zones(interaction: Interaction, current: str) -> list[Choice[str]]:
        return autocomplete.zones(current)


def _link(group: app_commands.Group, handler: Handler) -> None:
    """`/mentorbot link [CODE or EMAIL]`; advisors may pick the person instead of an email."""

    @group.command(name=name("mentorbot_link"), description=description("mentorbot_link"))
    @app_commands.rename(code=name("opt_code"), person=name("opt_person"))
    @app_commands.describe(code=description("opt_code"), person=description("opt_person"))
    async def link(
        interaction: Interaction,
        code: str | None = None,
        person: discord.Member | discord.User | None = None,
    ) -> None:
        await handler.link(interaction, code, person)
