"""Delivery benchmark: what a school's check-in wave costs on Slack and on Discord.

The serving process's own delivery (its DeliveryService: MENTORBOT_DELIVERY_CONCURRENCY senders,
the real Slack and Discord deliverers, slack_sdk's WebClient, discord.py's HTTP client) against
the fakes of tests/, which answer after `--latency` (50 ms) and enforce `--limit` (50) requests
per second: Slack's chat.postMessage workspace-wide and 1 per second per channel; Discord's
global limit and its per-channel message buckets (5 per 5 s), announced in X-RateLimit-*
headers. One message to each of `--messages` people per round.

Target: >= 45 messages/s on each platform, i.e. within 10 % of the limit. On Discord a person's
first DM costs two requests (open the DM channel, send), so the first round after a start is
bound to half the limit; the DM channels are remembered, so the next rounds cost one.
Also printed: the same Slack round with one sender (the delivery before concurrency).

Run from the repo root: `.venv/bin/python bench/delivery.py [--messages N] [--pg URL]`
(`--pg` runs on that PostgreSQL database instead of a fresh SQLite file, and WIPES it).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the fakes live in tests/
from adapters.bootstrap import App
from adapters.discord.client import build_client
from adapters.discord.deliver import DiscordDeliverer
from adapters.serving import SWITCH_INTERVAL, DeliveryService
from adapters.slack.deliver import SlackDeliverer, delivery_client
from bot.clock import SystemClock
from bot.settings import Settings
from storage.database import Database
from tests.delivery_harness import (
    DISCORD_ADVISORS,
    SLACK_ADVISORS,
    Arrivals,
    add_people,
    app_for,
    queue,
)
from tests.discord.fake_discord import MESSAGES, OPEN_DM, FakeDiscord
from tests.discord.fake_discord import Limits as DiscordLimits
from tests.slack.fake_slack import FakeSlack
from tests.slack.fake_slack import Limits as SlackLimits

TARGET = 45.0


@dataclass
class Round:
    case: str
    messages: int
    requests: int
    seconds: float
    refused: int
    arrivals: Arrivals
    target: bool = True  # held to the 45 messages/s target

    def line(self) -> str:
        rate = self.messages / self.seconds
        verdict = ("PASS" if rate >= TARGET else "FAIL") if self.target else "(for comparison)"
        return (
            f"  {self.case:<38} {self.messages:>6} {self.seconds:>7.1f} {rate:>7.1f}"
            f" {self.requests / self.seconds:>7.1f} {self.refused:>5}"
            f" {len(self.arrivals.doubled()):>7} {len(self.arrivals.out_of_order()):>6}"
            f"   >= {TARGET:.0f} msg/s {verdict}"
        )


def wait_for(done: Callable[[], bool], timeout: float) -> None:
    """Poll every 0.1 s: a tighter poll rescanning thousands of calls would slow what it
    measures (the times come from the fake's arrival instants, not from the poll)."""
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit(f"not delivered within {timeout:.0f} s")
        time.sleep(0.1)


@contextmanager
def served_apart(fake: FakeDiscord) -> Iterator[None]:
    """The fake Discord on an event loop of its own, as the real one is another machine: on
    the client's loop it would slow the very client it measures."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(fake.start(), loop).result(10)
    try:
        yield
    finally:
        asyncio.run_coroutine_threadsafe(fake.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        fake.close()


def fresh(url: str | None, directory: Path, name: str) -> Database:
    database = Database(url or f"sqlite:///{directory / name}.db", pool_size=20)
    if database.engine.dialect.name == "postgresql":
        with database.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    database.upgrade()
    return database


def slack_round(database: Database, args: argparse.Namespace, concurrency: int) -> Round:
    fake = FakeSlack().start()
    fake.latency["chat.postMessage"] = args.latency
    fake.limits = SlackLimits(per_second=args.limit, per_channel=1)
    app = app_for(
        database,
        SystemClock(),
        slack_bot_token="xoxb-bench",
        slack_api_url=fake.api_url,
        slack_advisors_channel=SLACK_ADVISORS,
        delivery_concurrency=concurrency,
        slack_messages_per_second=args.limit,
    )
    messages = args.messages if concurrency > 1 else args.messages // 5
    total = queue(database, app.clock, add_people(database, app.clock, messages, "slack"), 1)
    service = DeliveryService(app, "slack", SlackDeliverer(app, delivery_client(app)))
    started = time.monotonic()
    service.start()
    app.queued()
    try:
        wait_for(lambda: len(fake.posted()) >= total, timeout=total)
        seconds = max(call.at for call in fake.posted()) - started
    finally:
        service.stop(5)
        fake.stop()
    seen = Arrivals()
    for post in fake.posted():
        seen.add(str(post.channel), str(post.args.get("text")))
    case = f"Slack, {concurrency} sender{'s' if concurrency > 1 else ''}"
    return Round(case, total, total, seconds, fake.rate_limited, seen, target=concurrency > 1)


def discord_rounds(database: Database, args: argparse.Namespace) -> list[Round]:
    fake = FakeDiscord()
    fake.limits = DiscordLimits(args.limit, (MESSAGES, OPEN_DM), args.latency)
    app = app_for(
        database,
        SystemClock(),
        discord_token="bench-token",
        discord_api_url=fake.url,
        discord_advisors_channel_id=DISCORD_ADVISORS,
        delivery_concurrency=args.concurrency,
        discord_requests_per_second=args.limit,
    )
    people = add_people(database, app.clock, args.messages, "discord")
    with served_apart(fake):
        return asyncio.run(_discord(app, fake, people))


async def _discord(app: App, fake: FakeDiscord, people: list[int]) -> list[Round]:
    async with build_client(app) as client:
        service = DeliveryService(app, "discord", DiscordDeliverer(app, client))
        await client.login("bench-token")
        service.start()
        try:
            first = await _discord_round(app, fake, people, 0, "Discord, first DM to each")
            known = await _discord_round(app, fake, people, 1, "Discord, DM channels known")
        finally:
            await asyncio.to_thread(service.stop, 5)
    first.target = False  # two requests a message: bound to half the limit
    return [first, known]


async def _discord_round(
    app: App, fake: FakeDiscord, people: list[int], number: int, case: str
) -> Round:
    before = len(fake.calls)
    total = queue(app.database, app.clock, people, 1, "discord", first=number)
    started = time.monotonic()
    app.queued()

    def sent() -> list[tuple[float, str, str]]:  # answered: a 200 with the stored message
        return [
            (call.at, call.path, str(call.json.get("content")))
            for call in fake.calls[before:]
            if call.response is not None and call.path.endswith("/messages")
        ]

    await asyncio.to_thread(wait_for, lambda: len(sent()) >= total, total)
    calls = fake.calls[before:]
    seen = Arrivals()
    for _, channel, content in sent():
        seen.add(channel, content)
    seconds = max(at for at, _, _ in sent()) - started
    refused = sum(call.status == 429 for call in calls)
    requests = sum(call.response is not None for call in calls)
    return Round(case, total, requests, seconds, refused, seen)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=1000, help="people, one message each")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per platform call")
    parser.add_argument("--limit", type=int, default=50, help="requests/s the fakes allow")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=Settings.model_fields["delivery_concurrency"].default,
        help="senders per platform (default: MENTORBOT_DELIVERY_CONCURRENCY's)",
    )
    parser.add_argument("--pg", metavar="URL", help="PostgreSQL URL instead of SQLite: WIPED")
    args = parser.parse_args()
    sys.setswitchinterval(SWITCH_INTERVAL)  # as `mentorbot run` / `slack` / `discord` set it
    rounds: list[Round] = []
    cases: list[tuple[str, Callable[[Database], list[Round]]]] = [
        ("slack", lambda db: [slack_round(db, args, args.concurrency)]),
        ("discord", lambda db: discord_rounds(db, args)),
        ("slack-sequential", lambda db: [slack_round(db, args, 1)]),
    ]
    with tempfile.TemporaryDirectory() as directory:
        for name, run in cases:
            database = fresh(args.pg, Path(directory), name)
            try:
                rounds += run(database)
            finally:
                database.dispose()
    where = "PostgreSQL" if args.pg else "SQLite"
    print(
        f"Delivery on {where}: fakes answer in {args.latency * 1000:.0f} ms and allow "
        f"{args.limit} requests/s; {args.concurrency} senders"
    )
    print(
        f"  {'case':<38} {'msgs':>6} {'seconds':>7} {'msg/s':>7} {'req/s':>7} {'429s':>5}"
        f" {'doubled':>7} {'order':>6}   target"
    )
    for result in rounds:
        print(result.line())


if __name__ == "__main__":
    main()
