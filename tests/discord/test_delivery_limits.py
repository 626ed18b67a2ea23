"""Concurrent delivery to Discord under its rate limits, through the serving process's delivery
service, the real deliverer and discord.py's HTTP client against a fake Discord that enforces
the bot's global limit and per-route buckets (announced in `X-RateLimit-*` headers): the
buckets and the global rate are never exceeded, a 429 loses and doubles nothing, one person's
messages stay in order. Real time: the fake counts real seconds."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator

import discord
import pytest

from adapters.bootstrap import App
from adapters.discord.client import build_client
from adapters.discord.deliver import DiscordDeliverer
from adapters.serving import DeliveryService
from bot.clock import SystemClock
from storage.database import Database
from tests.delivery_harness import (
    DISCORD_ADVISORS,
    Arrivals,
    add_people,
    app_for,
    queue,
    wait_until,
)
from tests.discord.fake_discord import OPEN_DM, Bucket, Call, FakeDiscord, Limits

TOKEN = "test-bot-token"
MESSAGES = re.compile(r"/channels/(\d+)/messages")


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeDiscord]:
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)  # restored after
    fake = FakeDiscord()
    yield fake
    fake.close()


def discord_app(database: Database, fake: FakeDiscord, **settings: object) -> App:
    return app_for(
        database,
        SystemClock(),
        discord_token=TOKEN,
        discord_api_url=fake.url,
        discord_advisors_channel_id=DISCORD_ADVISORS,
        **settings,
    )


def posted(fake: FakeDiscord) -> list[Call]:
    return [c for c in list(fake.calls) if MESSAGES.fullmatch(c.path) and c.status == 200]


def arrivals(fake: FakeDiscord) -> Arrivals:
    seen = Arrivals()
    for call in posted(fake):
        seen.add(call.path, str(call.json.get("content")))
    return seen


def deliver(app: App, fake: FakeDiscord, total: int, timeout: float = 20) -> float:
    """The serving process's delivery for Discord, until the fake stored `total` messages."""

    async def scenario() -> float:
        await fake.start()
        try:
            async with build_client(app) as client:
                # Built before the login, as the serving process does: the login's requests
                # count against the global limit too.
                service = DeliveryService(app, "discord", DiscordDeliverer(app, client))
                await client.login(TOKEN)
                service.start()
                app.queued()
                try:
                    done = lambda: len(posted(fake)) >= total  # noqa: E731
                    return await asyncio.to_thread(wait_until, done, timeout)
                finally:
                    await asyncio.to_thread(service.stop, 5)
        finally:
            await fake.stop()

    return asyncio.run(scenario())


def test_route_buckets_learned_from_the_headers_are_never_exceeded(
    sqlite_database: Database, fake: FakeDiscord
) -> None:
    # Two messages per half second in each channel: the advisors' channel gets six.
    fake.limits = Limits(buckets=(Bucket("POST", MESSAGES.pattern, 2, 0.5, "msgs"), OPEN_DM))
    app = discord_app(sqlite_database, fake, delivery_concurrency=8)
    people = add_people(sqlite_database, app.clock, 5, "discord")
    total = queue(sqlite_database, app.clock, [None, *people], per_person=6, platform="discord")
    seconds = deliver(app, fake, total)
    seen = arrivals(fake)
    assert len(seen.seen) == total and seen.doubled() == [] and seen.out_of_order() == []
    assert fake.rate_limited == {}  # discord.py waited for each bucket's reset, never a 429
    assert seconds >= 1.0  # six in one channel at two per half second: three windows


def test_the_global_limit_is_kept_ahead_of_discord(
    sqlite_database: Database, fake: FakeDiscord
) -> None:
    fake.limits = Limits(global_per_second=10, latency=0.02)
    app = discord_app(sqlite_database, fake, discord_requests_per_second=10)
    people = add_people(sqlite_database, app.clock, 6, "discord")
    total = queue(sqlite_database, app.clock, people, per_person=2, platform="discord")
    seconds = deliver(app, fake, total)  # 6 DMs opened, 12 messages: 18 requests
    assert len(arrivals(fake).seen) == total and arrivals(fake).doubled() == []
    assert fake.rate_limited == {}
    assert seconds >= 0.8  # 18 requests at 10 a second


def test_global_429s_are_waited_out_and_lose_or_double_nothing(
    sqlite_database: Database, fake: FakeDiscord
) -> None:
    # Discord allows 8 requests a second; the deliverer believes 50, so Discord says 429.
    fake.limits = Limits(global_per_second=8, latency=0.02)
    app = discord_app(sqlite_database, fake, delivery_concurrency=8)
    people = add_people(sqlite_database, app.clock, 8, "discord")
    total = queue(sqlite_database, app.clock, people, per_person=2, platform="discord")
    deliver(app, fake, total)
    seen = arrivals(fake)
    assert fake.rate_limited["global"] > 0
    assert len(seen.seen) == total and seen.doubled() == [] and seen.out_of_order() == []
    with app.database.uow() as uow:
        assert uow.outbox.pending_count() == 0
