"""What every handler receives: who asks, when, under which settings, in which transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain import Notification, Person, Role
from bot.errors import UserError
from bot.ports import UnitOfWork
from bot.settings import Settings


@dataclass
class Context:
    uow: UnitOfWork
    actor: Person
    now: datetime
    settings: Settings
    # Whose accounts a mention in the command names: the adapter's name for its platform, passed
    # through untouched (the core never guesses it, nor names one); None where none can be typed.
    platform: str | None = None

    def require(self, *roles: Role) -> None:
        if not any(self.actor.has(role) for role in roles):
            raise UserError("error.not_allowed")

    def notify(self, notification: Notification) -> None:
        self.uow.outbox.add(notification, self.now)

    def name_of(self, person_id: int) -> str:
        person = self.uow.people.get(person_id)
        return person.name if person else "?"
