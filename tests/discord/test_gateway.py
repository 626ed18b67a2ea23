"""The real client on a gateway: DISCORD_GATEWAY_URL is where `connect()` goes, it identifies,
gets READY over a zlib stream, answers a DM it receives there, and resumes after a drop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

from discord.gateway import DiscordWebSocket

from adapters.bootstrap import App
from adapters.discord.client import MentorbotClient, build_client, intents
from adapters.discord.render import contents
from bot.settings import Settings
from tests.discord import payloads
from tests.discord.conftest import LEA, TOKEN, World, run, serving
from tests.discord.fake_discord import BOT_ID
from tests.discord.fake_gateway import FakeGateway
from tests.discord.payloads import direct_message
from tests.discord.test_booking import PARIS_FR
from tests.discord.test_messages import answered_without_discord

DM_CHANNEL = 960000000000000011
QUESTION = "Pouvez-vous relire mon diagramme de séquence ?"


def on_gateway(app: App, gateway: FakeGateway) -> App:
    return replace(
        app, settings=app.settings.model_copy(update={"discord_gateway_url": gateway.url})
    )


def school_gateway() -> FakeGateway:
    """The fake gateway, with the school's server (and its advisor role) sent at connection."""
    roles = {payloads.ADVISOR_ROLE_ID: "conseillers"}
    return FakeGateway(token=TOKEN, guilds=[payloads.guild_create(roles)])


@asynccontextmanager
async def hosting(gateway: FakeGateway) -> AsyncIterator[FakeGateway]:
    await gateway.start()
    try:
        yield gateway
    finally:
        await gateway.stop()
        gateway.close()


@asynccontextmanager
async def online(app: App) -> AsyncIterator[MentorbotClient]:
    """A client logged in and connecting (`connect` runs until the client is closed)."""
    client = build_client(app)
    async with client:
        await client.login(TOKEN)
        connecting = asyncio.create_task(client.connect(reconnect=True))
        try:
            yield client
        finally:
            await client.close()
            await asyncio.wait_for(connecting, 10)


async def session_of(client: MentorbotClient, gateway: FakeGateway) -> str:
    """The session the client believes it has, once the gateway has sent READY."""
    await gateway.wait_identified()
    await gateway.wait_until(
        lambda: client.ws is not None and client.ws.session_id is not None, what="READY read"
    )
    assert client.ws is not None and client.ws.session_id is not None
    return client.ws.session_id


def test_the_default_gateway_is_discord_py_s_own() -> None:
    defaults = Settings(_env_file=None)  # type: ignore[call-arg]
    assert defaults.discord_gateway_url == str(DiscordWebSocket.DEFAULT_GATEWAY)


def test_connect_identifies_on_the_configured_gateway_and_a_dm_there_is_answered(
    world: World, tmp_path: Path
) -> None:
    expected = answered_without_discord(world, tmp_path, "lea", "ask", QUESTION)
    gateway = school_gateway()
    app = on_gateway(world.app, gateway)

    async def scenario() -> None:
        async with serving(world.fake), hosting(gateway), online(app) as client:
            session_id = await session_of(client, gateway)
            await asyncio.wait_for(client.wait_until_ready(), 10)
            assert gateway.queries == [{"v": "10", "encoding": "json", "compress": "zlib-stream"}]
            [identify] = gateway.identifies
            assert (identify["token"], identify["intents"]) == (TOKEN, intents().value)
            assert [s.session_id for s in gateway.live()] == [session_id]
            assert client.user is not None and client.user.id == BOT_ID
            assert client.get_guild(payloads.GUILD_ID) is not None  # GUILD_CREATE was read
            assert str(client.ws.gateway) == gateway.resume_url  # type: ignore[union-attr]

            await gateway.dispatch("MESSAGE_CREATE", direct_message(LEA, DM_CHANNEL, QUESTION))
            [answer] = await world.fake.wait_for("POST", rf"/channels/{DM_CHANNEL}/messages")
            assert [answer.json["content"]] == contents(expected, PARIS_FR)
            [live] = gateway.live()
            assert live.connection is not None and live.connection.heartbeats >= 1
        # `close()` asks for 1000, but aiohttp first wakes discord.py's pending read, which
        # closes with 4000: Discord keeps such a session resumable (and the bot shown online)
        # for a while after a clean stop.
        assert gateway.close_codes == [4000]
        assert gateway.identified == 0

    run(scenario())


def test_after_a_dropped_connection_it_resumes_and_gets_what_it_missed_once(
    world: World,
) -> None:
    gateway = school_gateway()
    app = on_gateway(world.app, gateway)

    async def scenario() -> None:
        async with serving(world.fake), hosting(gateway), online(app) as client:
            session_id = await session_of(client, gateway)
            [session] = gateway.live()
            await gateway.wait_until(lambda: client.ws is not None and client.ws.sequence == 2)
            await gateway.drop()  # a network failure: no close frame
            await gateway.dispatch("MESSAGE_CREATE", direct_message(LEA, DM_CHANNEL, QUESTION))
            await gateway.wait_until(lambda: "RESUMED" in session.events, what="resumed")
            [answer] = await world.fake.wait_for("POST", rf"/channels/{DM_CHANNEL}/messages")
            assert answer.json["content"]
            assert gateway.resumes == [{"seq": 2, "session_id": session_id, "token": TOKEN}]
            assert len(gateway.identifies) == 1  # resumed, not identified again
            assert gateway.identified == 1
            assert session.events == ["READY", "GUILD_CREATE", "MESSAGE_CREATE", "RESUMED"]

    run(scenario())


def test_a_gateway_without_the_guild_still_connects(world: World) -> None:
    """Nothing in start-up depends on the server being there (a bot not yet invited)."""
    gateway = FakeGateway(token=TOKEN)
    app = on_gateway(world.app, gateway)

    async def scenario() -> None:
        async with serving(world.fake), hosting(gateway), online(app) as client:
            await session_of(client, gateway)
            await asyncio.wait_for(client.wait_until_ready(), 10)
            assert list(client.guilds) == []

    run(scenario())
