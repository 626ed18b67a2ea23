"""Typed options → the text the core parses, and the choices options offer (translated)."""

from __future__ import annotations

import discord
from discord import app_commands

from adapters.discord.translator import localised

Choice = app_commands.Choice
User = discord.Member | discord.User


def _choices(key: str, *values: str) -> list[Choice[str]]:
    """Choices shown in the reader's language (`key` is the catalogue key, `{}` standing for
    the value); the value is what the core parses."""
    return [Choice(name=localised(key.format(value)), value=value) for value in values]


DAYS = _choices("day.{}", "mon", "tue", "wed", "thu", "fri", "sat", "sun")
LANGUAGES = [Choice(name="Français", value="fr"), Choice(name="English", value="en")]
TOPICS = _choices(
    "ask.topic.{}", "mentor", "resources", "extra_session", "pause", "admin", "accommodation"
)
RULES = _choices("discord.rule_{}", "none", "async", "window")
CATEGORIES = _choices(
    "category.{}", "absence", "circumstances", "disengagement", "disrespect", "plagiarism"
)
ATTENDANCE = _choices("attendance.choice.{}", "present", "absent", "late")
SCOPES = _choices("discord.scope_{}", "open", "all")
OUTCOMES = _choices("discord.outcome_{}", "validated", "rework")
KINDS = _choices("discord.kind_{}", "session", "defense")


def words(*parts: object) -> str:
    """Options → the text the core parses; unset options are left out."""
    return " ".join(str(p).strip() for p in parts if p is not None and str(p).strip())


def mention(user: User | None) -> str | None:
    """A user option as a person the core resolves (through the linked Discord account)."""
    return f"<@{user.id}>" if user is not None else None
