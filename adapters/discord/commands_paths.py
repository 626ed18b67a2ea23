"""Paths and defenses: `/progress [PERSON]` and `/defense SESSION validated|rework [ITEMS]`.

As elsewhere, a callback only joins its typed options into the line the core parses; the core
decides who may see whose progress and who may record a defense's outcome.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from adapters.discord.handler import Handler
from adapters.discord.options import OUTCOMES, User, mention, words
from adapters.discord.translator import description, name

Interaction = discord.Interaction[Any]
Command = app_commands.Command[Any, ..., None]


def commands(handler: Handler) -> list[Command]:
    return [progress(handler), defense(handler)]


def progress(handler: Handler) -> Command:
    @app_commands.command(name=name("progress"), description=description("progress"))
    @app_commands.rename(student=name("opt_student"))
    @app_commands.describe(student=description("opt_progress_student"))
    async def command(interaction: Interaction, student: User | None = None) -> None:
        await handler.command(interaction, "progress", words(mention(student)))

    return command


def defense(handler: Handler) -> Command:
    @app_commands.command(name=name("defense"), description=description("defense"))
    @app_commands.rename(
        session=name("opt_session"), outcome=name("opt_outcome"), items=name("opt_items")
    )
    @app_commands.describe(
        session=description("opt_session_defense"),
        outcome=description("opt_outcome"),
        items=description("opt_items"),
    )
    @app_commands.choices(outcome=OUTCOMES)
    async def command(
        interaction: Interaction, session: int, outcome: str, items: str | None = None
    ) -> None:
        await handler.command(interaction, "defense", words(session, outcome, items))

    return command
