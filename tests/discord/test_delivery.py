"""The outbox through Discord: what discord.py retries itself (a short 429), and what it hands
back to the outbox (a long rate limit, an outage, a DM that Discord refuses for good)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from adapters.discord.deliver import DiscordDeliverer
from bot.commands import CancelSession
from bot.domain import Notification
from bot.outbox import OutboxWorker
from bot.replies import Choice, Text
from tests.discord.conftest import LEA, Bot, World, discord_bot, run
from tests.discord.payloads import ADVISORS_CHANNEL_ID
from tests.discord.test_booking import PARIS_FR, buttons

WHEN = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
MESSAGES = r"/channels/\d+/messages"
RATE_LIMITED = {"message": "You are being rate limited.", "global": False}


def queue(
    world: World,
    who: str | None,
    key: str = "notify.session_booked",
    params: dict[str, object] | None = None,
    **extra: object,
) -> None:
    """A notification, as the core leaves it in the outbox."""
    recipient = world.programme.people[who].id if who else None
    with world.app.database.uow() as uow:
        uow.outbox.add(
            Notification(
                idempotency_key=f"test:{who}:{key}",
                recipient_id=recipient,
                key=key,
                params=params or {"student": "Léa Dubois", "when": WHEN, "id": 7},
                **extra,  # type: ignore[arg-type]
            ),
            world.clock.now(),
        )
        uow.commit()


def worker(world: World, bot: Bot) -> OutboxWorker:
    return world.app.outbox_worker(DiscordDeliverer(world.app, bot.client, timeout=10))


def pending(world: World) -> int:
    with world.app.database.uow() as uow:
        return uow.outbox.pending_count()


def test_a_notification_is_a_dm_with_its_buttons_pinging_only_its_recipient(world: World) -> None:
    queue(world, "lea", choices=(Choice(Text("choice.cancel", {"id": 7}), CancelSession(7)),))

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            assert await asyncio.to_thread(worker(world, bot).run_once) == 1
            [sent] = bot.fake.find("POST", MESSAGES)
            assert sent.path == f"/channels/{bot.fake.dm_channels[str(LEA[0])]}/messages"
            assert sent.json["content"] == PARIS_FR.text(
                Text("notify.session_booked", {"student": "Léa Dubois", "when": WHEN, "id": 7})
            )
            assert sent.json["allowed_mentions"] == {"parse": [], "users": [LEA[0]]}
            assert [b["custom_id"] for b in buttons(sent.json)] == ["mb:v1:cs:7"]
        assert pending(world) == 0

    run(scenario())


def test_a_429_with_retry_after_is_retried_by_discord_py(world: World) -> None:
    queue(world, "lea")

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            bot.fake.fail_next(
                "POST",
                MESSAGES,
                429,
                {**RATE_LIMITED, "retry_after": 0.05},
                headers={"Retry-After": "1", "Via": "1.1 google", "X-RateLimit-Scope": "user"},
            )
            assert await asyncio.to_thread(worker(world, bot).run_once) == 1
            statuses = [call.status for call in bot.fake.find("POST", MESSAGES)]
            assert statuses == [429, 200]
        assert pending(world) == 0

    run(scenario())


def test_a_long_rate_limit_is_left_to_the_outbox_with_its_retry_after(world: World) -> None:
    queue(world, "lea")

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            bot.fake.fail_next(
                "POST",
                MESSAGES,
                429,
                {**RATE_LIMITED, "retry_after": 120.0},
                headers={"Retry-After": "120", "Via": "1.1 google"},
            )
            outbox = worker(world, bot)
            assert await asyncio.to_thread(outbox.run_once) == 0
            assert pending(world) == 1
            world.clock.advance(seconds=119)
            assert await asyncio.to_thread(outbox.run_once) == 0
            world.clock.advance(seconds=2)
            assert await asyncio.to_thread(outbox.run_once) == 1
            assert [c.status for c in bot.fake.find("POST", MESSAGES)] == [429, 200]

    run(scenario())


def test_a_429_without_via_is_not_retried_by_discord_py_but_by_the_outbox(world: World) -> None:
    """Discord.py takes a 429 with no `Via` header for a Cloudflare ban and raises at once."""
    queue(world, "lea")

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            bot.fake.fail_next(
                "POST",
                MESSAGES,
                429,
                {**RATE_LIMITED, "retry_after": 7},
                headers={"Retry-After": "7"},
            )
            outbox = worker(world, bot)
            assert await asyncio.to_thread(outbox.run_once) == 0
            world.clock.advance(seconds=8)
            assert await asyncio.to_thread(outbox.run_once) == 1

    run(scenario())


def test_a_closed_dm_is_given_up_at_once(world: World) -> None:
    queue(world, "lea")

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            refusal = {"code": 50007, "message": "Cannot send messages to this user"}
            bot.fake.fail_next("POST", MESSAGES, 403, refusal)
            outbox = worker(world, bot)
            assert await asyncio.to_thread(outbox.run_once) == 0
            world.clock.advance(hours=2)
            await asyncio.to_thread(outbox.drain)  # (the core may tell the advisors)
            dm = bot.fake.dm_channels[str(LEA[0])]
            assert [c.status for c in bot.fake.find("POST", rf"/channels/{dm}/messages")] == [403]

    run(scenario())


def test_a_discord_outage_is_retried_later(world: World) -> None:
    queue(world, "lea")

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            bot.fake.fail_next("POST", MESSAGES, 503, {"message": "upstream", "code": 0})
            outbox = worker(world, bot)
            assert await asyncio.to_thread(outbox.run_once) == 0
            assert pending(world) == 1
            world.clock.advance(hours=1)
            assert await asyncio.to_thread(outbox.run_once) == 1

    run(scenario())


def test_someone_without_a_discord_account_is_given_up(world: World) -> None:
    queue(world, "zoe")

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            outbox = worker(world, bot)
            assert await asyncio.to_thread(outbox.run_once) == 0
            world.clock.advance(hours=2)
            await asyncio.to_thread(outbox.drain)
            assert bot.fake.find("POST", r"/users/@me/channels") == []

    run(scenario())


def test_an_update_edits_the_advisors_message_it_replaces(world: World) -> None:
    queue(world, None)
    cancelled = {"by": "Léa Dubois", "when": WHEN, "id": 7}

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            outbox = worker(world, bot)
            assert await asyncio.to_thread(outbox.run_once) == 1
            [posted] = bot.fake.find("POST", rf"/channels/{ADVISORS_CHANNEL_ID}/messages")
            queue(
                world,
                None,
                "notify.session_cancelled",
                cancelled,
                updates="test:None:notify.session_booked",
            )
            assert await asyncio.to_thread(outbox.run_once) == 1
            [edited] = bot.fake.find("PATCH", MESSAGES + r"/\d+")
            message_id = posted.response["id"]
            assert edited.path == f"/channels/{ADVISORS_CHANNEL_ID}/messages/{message_id}"
            assert edited.json["content"] == PARIS_FR.text(
                Text("notify.session_cancelled", cancelled)
            )
            assert len(bot.fake.find("POST", MESSAGES)) == 1  # edited, not posted again

    run(scenario())
