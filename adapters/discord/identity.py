"""Who is behind a Discord account: the roster person linked to it, and the advisor role.

Every interaction needs the person, and autocomplete must answer within 3 seconds, so known
links are remembered for a few minutes; unknown accounts are not, so a fresh link works at once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import discord

from bot.core import Core

PLATFORM = "discord"


class IdentityCache:
    def __init__(
        self, core: Core, *, ttl: float = 300.0, now: Callable[[], float] = time.monotonic
    ) -> None:
        self.core = core
        self.ttl = ttl
        self.now = now
        self._known: dict[int, tuple[int, float]] = {}

    async def person_id(self, user_id: int) -> int | None:
        """The roster person's id, or None when this account is not linked (yet)."""
        hit = self._known.get(user_id)
        if hit is not None and hit[1] > self.now():
            return hit[0]
        person = await asyncio.to_thread(self.core.identify, PLATFORM, str(user_id))
        if person is None:
            self._known.pop(user_id, None)
            return None
        self._known[user_id] = (person.id, self.now() + self.ttl)
        return person.id


def has_role(user: discord.User | discord.Member, role_id: int | None) -> bool:
    """Whether a server member has this role (in DMs nobody has a server role)."""
    return (
        role_id is not None
        and isinstance(user, discord.Member)
        and user.get_role(role_id) is not None
    )
