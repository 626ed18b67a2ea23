"""The advisors' commands: `/alerts list|ack|resolve|details`, `/pause`, `/resume`.

Anyone may see them (Discord's command permissions are only a hint admins can change): the core
refuses whoever is not an advisor on the roster. Answers are ephemeral like every other, which
keeps an alert's private details to the advisor who asked.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from adapters.discord.handler import Handler
from adapters.discord.options import SCOPES, User, mention, words
from adapters.discord.translator import description, name

Interaction = discord.Interaction[Any]
Command = app_commands.Command[Any, ..., None]


def commands(handler: Handler) -> list[Command | app_commands.Group]:
    return [alerts(handler), status(handler, "pause"), status(handler, "resume")]


def alerts(handler: Handler) -> app_commands.Group:
    group = app_commands.Group(name=name("alerts"), description=description("alerts"))

    @group.command(name=name("alerts_list"), description=description("alerts_list"))
    @app_commands.rename(scope=name("opt_scope"), student=name("opt_student_filter"))
    @app_commands.describe(
        scope=description("opt_scope"), student=description("opt_student_filter")
    )
    @app_commands.choices(scope=SCOPES)
    async def listing(
        interaction: Interaction, scope: str | None = None, student: User | None = None
    ) -> None:
        await handler.command(interaction, "alerts", words(scope, mention(student)))

    _numbered(group, handler, "ack")

    @group.command(name=name("alerts_resolve"), description=description("alerts_resolve"))
    @app_commands.rename(alert=name("opt_alert"), note=name("opt_note"))
    @app_commands.describe(alert=description("opt_alert"), note=description("opt_note"))
    async def resolve(interaction: Interaction, alert: int, note: str) -> None:
        await handler.command(interaction, "alerts", words("resolve", alert, note))

    _numbered(group, handler, "details")
    return group


def _numbered(group: app_commands.Group, handler: Handler, action: str) -> None:
    """`/alerts ack N` and `/alerts details N`: an alert number and nothing else."""
    path = f"alerts_{action}"

    @group.command(name=name(path), description=description(path))
    @app_commands.rename(alert=name("opt_alert"))
    @app_commands.describe(alert=description("opt_alert"))
    async def numbered(interaction: Interaction, alert: int) -> None:
        await handler.command(interaction, "alerts", words(action, alert))


def status(handler: Handler, action: str) -> Command:
    """`/pause PERSON` and `/resume PERSON`, the person picked with a user option."""

    @app_commands.command(name=name(action), description=description(action))
    @app_commands.rename(student=name("opt_student"))
    @app_commands.describe(student=description("opt_student"))
    async def command(interaction: Interaction, student: User) -> None:
        await handler.command(interaction, action, words(mention(student)))

    return command
