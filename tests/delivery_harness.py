"""Many people's messages through the product's own delivery (the serving process's delivery
service, the real Slack and Discord deliverers, slack_sdk's WebClient and discord.py's HTTP
client) against the fakes, with their latency and rate limits. The tests and
`bench/delivery.py` share it.

Each message says its own key ("bench:PERSON:N"), so what arrived tells who got what, in
which order, and whether anything came twice.
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from adapters.bootstrap import App
from bot.clock import Clock
from bot.core import Core
from bot.domain import Notification, Role
from bot.settings import Settings
from storage.database import Database

KEY = re.compile(r"bench:\d+:\d+")
MESSAGE = "ask.unknown_topic"  # "Unknown topic “{value}”.": a catalogue message carrying the key
SLACK_ADVISORS = "C0ADVISORS"
DISCORD_ADVISORS = 930000000000000001


def slack_id(n: int) -> str:
    return f"U{n:08d}"


def discord_id(n: int) -> str:
    return str(960000000000000000 + n)


def add_people(database: Database, clock: Clock, count: int, platform: str) -> list[int]:
    """`count` students linked on `platform`; returns their ids."""
    account = slack_id if platform == "slack" else discord_id
    ids = []
    with database.uow() as uow:
        for n in range(count):
            person = uow.people.add(
                f"p{n}@bench.example", f"P{n}", "Europe/Paris", "fr", [Role.STUDENT], clock.now()
            )
            uow.identities.link(person.id, platform, account(n))
            ids.append(person.id)
        uow.commit()
    return ids


def queue(
    database: Database,
    clock: Clock,
    people: Iterable[int | None],
    per_person: int,
    platform: str = "slack",
    first: int = 0,
) -> int:
    """`per_person` messages to each (None: `platform`'s advisors' channel), interleaved by
    round as a job queues them, numbered from `first`; returns how many."""
    people = list(people)
    notifications = [
        Notification(
            idempotency_key=f"bench:{person or 0}:{n}",
            recipient_id=person,
            key=MESSAGE,
            params={"value": f"bench:{person or 0}:{n}"},
            channel=None if person is not None else f"advisors:{platform}",
        )
        for n in range(first, first + per_person)
        for person in people
    ]
    with database.uow() as uow:
        uow.outbox.add_many(notifications, clock.now())
        uow.commit()
    return len(notifications)


def app_for(database: Database, clock: Clock, **settings: object) -> App:
    values = {"database_url": "sqlite://", "delivery_interval_seconds": 0.2, **settings}
    configured = Settings(_env_file=None, **values)  # type: ignore[call-arg]
    return App(configured, database, Core(database.uow, clock, configured), clock)


@dataclass
class Arrivals:
    """What the platform accepted, in arrival order: (recipient, key) pairs."""

    seen: list[tuple[str, str]] = field(default_factory=list)

    def add(self, recipient: str, text: str) -> None:
        for key in KEY.findall(text):
            self.seen.append((recipient, key))

    def doubled(self) -> list[str]:
        return [key for key, n in Counter(key for _, key in self.seen).items() if n > 1]

    def out_of_order(self) -> list[str]:
        """Recipients whose messages arrived in another order than queued."""
        by_person: dict[str, list[int]] = defaultdict(list)
        for recipient, key in self.seen:
            by_person[recipient].append(int(key.rsplit(":", 1)[1]))
        return [who for who, numbers in by_person.items() if numbers != sorted(numbers)]


def wait_until(done: Callable[[], bool], timeout: float) -> float:
    """Poll until `done()`; returns the seconds it took (raises past `timeout`)."""
    started = time.monotonic()
    while not done():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not done within {timeout:.0f} s")
        time.sleep(0.01)
    return time.monotonic() - started
