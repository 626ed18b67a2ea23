"""A welcome for each person a roster import creates: what the bot does for their role.

Queued through the outbox with the import (one statement for the whole file), delivered to
wherever the person is reached; the key makes a re-import never welcome anyone twice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from itertools import islice

from bot.domain import Notification, Person, Role
from bot.ports import UnitOfWork

AT_ONCE = 5_000  # as many as the outbox sends in one statement
ORDER = (Role.ADVISOR, Role.VALIDATOR, Role.MENTOR, Role.STUDENT)  # one message per role held


def welcome(uow: UnitOfWork, people: Sequence[Person], now: datetime) -> int:
    """Queue the welcomes of the people an import just created (as it created them: not read
    back, a roster of 100,000 would read them all again), AT_ONCE at a time: all 100,000 made
    at once were a quarter of the import's peak memory. The last batch takes what is left, so
    no small batch goes on its own (the outbox binds those value by value)."""
    notes = (note for person in people for note in _welcomes(person))
    queued = 0
    batch = list(islice(notes, AT_ONCE))
    while batch:
        following = list(islice(notes, AT_ONCE))
        if len(following) < AT_ONCE:
            batch, following = batch + following, []
        uow.outbox.add_many(batch, now)
        queued += len(batch)
        batch = following
    return queued


def _welcomes(person: Person) -> list[Notification]:
    return [
        Notification(f"welcome:{person.id}{suffix}", person.id, key, {"name": person.name})
        for suffix, key in _keys(person.roles)
    ]


@cache
def _keys(roles: frozenset[Role]) -> tuple[tuple[str, str], ...]:
    """The welcomes a set of roles gets, in ORDER: (key suffix, message), worked out once per
    set (at most sixteen; each role's `.value` read per person was a third of this)."""
    held = [role.value for role in ORDER if role in roles]
    return tuple((f":{value}", f"week.welcome.{value}") for value in held)
