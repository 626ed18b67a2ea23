"""Autocomplete: free slots, sessions and time zones, suggested while people type.

Suggestions come from the core's own choices (the reply to the command without its last
arguments, `BookSession(None)`), so they follow every booking rule: each choice's action says
the instant or the session it offers. `/notes` is the exception (see `sessions_to_note`).
Discord wants an answer within 3 seconds and at most 25 suggestions.
"""

from __future__ import annotations

import asyncio
import zoneinfo
from collections.abc import Iterator
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.commands import CancelSession, Command, MoveSession
from bot.domain import Person
from bot.i18n import Renderer
from bot.replies import Reply, Text
from bot.views import SessionToNote

if TYPE_CHECKING:
    from adapters.discord.handler import Handler

LIMIT = 25
Interaction = discord.Interaction[Any]
Choice = app_commands.Choice


def _slots(reply: Reply, person: Person) -> Iterator[datetime]:
    """The instants the core offers (its choices' actions), in the person's zone."""
    for choice in reply.choices:
        starts_at = getattr(choice.action, "starts_at", None)
        if isinstance(starts_at, datetime):
            yield starts_at.astimezone(person.zone)


def _matches(current: str, *texts: str) -> bool:
    folded = current.strip().lower()
    return not folded or any(folded in text.lower() for text in texts)


async def slot_dates(
    handler: Handler, interaction: Interaction, offer: Command, current: str
) -> list[Choice[str]]:
    """The days with a free slot, as `YYYY-MM-DD` in the person's zone."""
    found = await handler.suggestions(interaction, offer)
    if found is None:
        return []
    reply, person = found
    labels = Renderer(person.locale, person.timezone)
    days: dict[str, str] = {}
    for local in _slots(reply, person):
        day = local.date()
        days.setdefault(day.isoformat(), labels.value(day))
    return [
        Choice(name=label, value=iso)
        for iso, label in days.items()
        if _matches(current, iso, label)
    ][:LIMIT]


async def slot_times(
    handler: Handler, interaction: Interaction, offer: Command, current: str
) -> list[Choice[str]]:
    """The free times as `HH:MM`: on the date already chosen, else on every day (named so)."""
    found = await handler.suggestions(interaction, offer)
    if found is None:
        return []
    reply, person = found
    chosen = str(getattr(interaction.namespace, "date", None) or "").strip()
    labels = Renderer(person.locale, person.timezone)
    suggestions: list[Choice[str]] = []
    for local in _slots(reply, person):
        if chosen and local.date().isoformat() != chosen:
            continue
        value = local.strftime("%H:%M")
        label = value if chosen else labels.value(local)
        if _matches(current, value, label):
            suggestions.append(Choice(name=label, value=value))
    return suggestions[:LIMIT]


async def session_ids(
    handler: Handler, interaction: Interaction, offer: Command, current: object
) -> list[Choice[int]]:
    """The person's sessions the core would let them pick (`CancelSession(None)`…)."""
    found = await handler.suggestions(interaction, offer)
    if found is None:
        return []
    reply, person = found
    labels = Renderer(person.locale, person.timezone)
    suggestions: list[Choice[int]] = []
    for choice in reply.choices:
        number = _session_id(choice.action)
        label = labels.text(choice.label)[:100]
        if number is not None and _matches(str(current or ""), str(number), label):
            suggestions.append(Choice(name=label, value=number))
    return suggestions[:LIMIT]


def _session_id(action: Command) -> int | None:
    """The session a cancel or move choice is about."""
    if isinstance(action, CancelSession | MoveSession):
        return action.session_id
    return None


@cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def zones(current: str) -> list[Choice[str]]:
    """IANA zones containing what was typed (`paris`, `toronto`)."""
    return [Choice(name=zone, value=zone) for zone in _zones() if _matches(current, zone)][:LIMIT]


async def sessions_to_note(
    handler: Handler, interaction: Interaction, current: object
) -> list[Choice[int]]:
    """The person's recent sessions still waiting for `/notes` (the core has no choices to
    offer for `/notes` without a session, so these come from its own view of them)."""
    person_id = await handler.identities.person_id(interaction.user.id)
    if person_id is None:
        return []
    person, sessions = await asyncio.to_thread(_to_note, handler, person_id)
    if person is None:
        return []
    labels = Renderer(person.locale, person.timezone)
    suggestions: list[Choice[int]] = []
    for session in sessions:
        label = labels.text(Text("choice.session", {"id": session.id, "when": session.starts_at}))
        if _matches(str(current or ""), str(session.id), label):
            suggestions.append(Choice(name=label[:100], value=session.id))
    return suggestions[:LIMIT]


def _to_note(handler: Handler, person_id: int) -> tuple[Person | None, list[SessionToNote]]:
    core = handler.core
    return core.person(person_id), core.views.sessions_to_note(person_id)
