"""`/mentorbot help`: the lines of the commands meant for the asker's roles, from the registry."""

from __future__ import annotations

from bot.commands import ShowHelp
from bot.context import Context
from bot.domain import Role
from bot.registry.model import REGISTRY
from bot.replies import Reply, Text


def show_help(ctx: Context, command: ShowHelp) -> Reply:
    roles = frozenset(role for role in Role if ctx.actor.has(role))
    lines = [Text("help.title", {"name": ctx.actor.name})]
    lines += [Text(key) for key in REGISTRY.help_keys(roles)]
    return Reply(tuple(lines))
