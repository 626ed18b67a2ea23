"""A programme whose people have Discord accounts, a fake Discord API, and a way to run the real
client against it: `run(scenario())` drives each async test in its own event loop."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator, Coroutine, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import discord
import pytest
from discord.gateway import DiscordWebSocket

from adapters.bootstrap import App
from adapters.delivery import DeliveryLoop
from adapters.discord.client import MentorbotClient, build_client
from adapters.discord.deliver import DiscordDeliverer
from bot.clock import ManualClock
from bot.core import Core
from bot.services.roster import import_roster
from storage.database import Database
from tests.conftest import ROSTER, Programme, load_programme, make_settings
from tests.discord import payloads
from tests.discord.fake_discord import APP_ID, Call, FakeDiscord

T = TypeVar("T")
TOKEN = "test-bot-token"
# Discord accounts (user id, name); Zoé's is not linked to the programme.
LEA = (950000000000000001, "lea")
SAM = (950000000000000002, "sam")
MENTOR = (950000000000000003, "camille")
ADVISOR = (950000000000000004, "nadia")
ZOE = (950000000000000005, "zoe")
STRANGER = (950000000000000009, "stranger")
LINKED = {"lea": LEA, "sam": SAM, "mentor": MENTOR, "advisor": ADVISOR}


def run(scenario: Coroutine[Any, Any, T]) -> T:
    """One event loop per test (pytest-asyncio is not used), with a hard time limit."""
    return asyncio.run(asyncio.wait_for(scenario, timeout=30))


def roster_with_discord_ids() -> str:
    """The shared test roster, with a `discord_id` for everyone in LINKED."""
    rows = list(csv.DictReader(io.StringIO(ROSTER)))
    for row in rows:
        account = LINKED.get(row["email"].split("@")[0])
        row["discord_id"] = str(account[0]) if account else ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@dataclass
class World:
    app: App
    programme: Programme
    fake: FakeDiscord
    clock: ManualClock


@pytest.fixture
def world(
    sqlite_database: Database, clock: ManualClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[World]:
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)  # restored after
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", DiscordWebSocket.DEFAULT_GATEWAY)
    fake = FakeDiscord()
    programme = load_programme(sqlite_database, clock)
    with sqlite_database.uow() as uow:
        assert import_roster(
            uow, roster_with_discord_ids(), "Europe/Paris", "fr", clock.now(), welcome_new=False
        ).applied
        uow.commit()
    settings = make_settings(
        f"sqlite:///{tmp_path / 'mentorbot.db'}",
        discord_token=TOKEN,
        discord_api_url=fake.url,
        discord_advisors_channel_id=payloads.ADVISORS_CHANNEL_ID,
        discord_guild_id=payloads.GUILD_ID,
        discord_advisor_role_id=payloads.ADVISOR_ROLE_ID,
    )
    app = App(settings, sqlite_database, Core(sqlite_database.uow, clock, settings), clock)
    yield World(app, programme, fake, clock)
    fake.close()


class Bot:
    """The real client, logged in against the fake; events go through discord.py's parsers."""

    def __init__(self, client: MentorbotClient, fake: FakeDiscord) -> None:
        self.client = client
        self.fake = fake

    def feed(self, event: str, payload: dict[str, Any]) -> None:
        self.client._connection.parsers[event](payload)

    async def interact(self, payload: dict[str, Any], *, followups: int = 1) -> list[Call]:
        """Send an interaction; return the followups answering it (after a deferral)."""
        self.feed("INTERACTION_CREATE", payload)
        token = payload["token"]
        return await self.fake.wait_for("POST", rf"/webhooks/{APP_ID}/{token}", count=followups)

    async def reply(self, payload: dict[str, Any]) -> Call:
        """The one followup answering an interaction, checked to follow an ephemeral deferral."""
        [followup] = await self.interact(payload)
        [callback] = self.callbacks(payload)
        assert callback.json == {"type": 5, "data": {"flags": payloads.EPHEMERAL}}
        assert callback.query == {"with_response": "1"}
        assert followup.json["flags"] & payloads.EPHEMERAL
        return followup

    def callbacks(self, payload: dict[str, Any]) -> list[Call]:
        return self.fake.find("POST", rf"/interactions/{payload['id']}/{payload['token']}/callback")

    async def callback(self, payload: dict[str, Any]) -> Call:
        """For interactions answered at once (autocomplete, opening a form)."""
        self.feed("INTERACTION_CREATE", payload)
        path = rf"/interactions/{payload['id']}/{payload['token']}/callback"
        [call] = await self.fake.wait_for("POST", path)
        return call


@asynccontextmanager
async def serving(fake: FakeDiscord) -> AsyncIterator[FakeDiscord]:
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@asynccontextmanager
async def connected(world: World) -> AsyncIterator[Bot]:
    """A freshly built client (a new process, as far as Discord can tell), logged in."""
    client = build_client(world.app)
    async with client:
        await client.login(TOKEN)
        yield Bot(client, world.fake)


@asynccontextmanager
async def discord_bot(world: World) -> AsyncIterator[Bot]:
    async with serving(world.fake), connected(world) as bot:
        yield bot


@asynccontextmanager
async def delivering(world: World, bot: Bot) -> AsyncIterator[DeliveryLoop]:
    """The outbox worker in its own thread, as `mentorbot discord` runs it, woken by commands."""
    worker = world.app.outbox_worker(DiscordDeliverer(world.app, bot.client, timeout=10))
    loop = DeliveryLoop(worker, interval=3600).start()  # only wake() explains a prompt delivery
    bot.client.handler.wake = loop.wake
    try:
        yield loop
    finally:
        await asyncio.to_thread(loop.stop)
