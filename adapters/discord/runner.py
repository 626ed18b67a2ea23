"""`mentorbot discord`: log in, sync the commands, deliver the outbox, serve the gateway."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

import discord

from adapters.bootstrap import App
from adapters.delivery import DeliveryLoop
from adapters.discord.client import MentorbotClient, build_client, sync_commands
from adapters.discord.deliver import DiscordDeliverer
from bot.i18n import Renderer
from bot.replies import Text

log = logging.getLogger(__name__)


def serve(app: App, args: argparse.Namespace) -> int:
    """Exit codes: 0 after a clean stop, 2 for configuration (missing or refused token; an
    invalid DISCORD_* id never gets here: `load_settings` in the CLI exits 2 naming it)."""
    token = app.settings.discord_token
    if token is None or not token.get_secret_value().strip():
        _complain(app, "discord.no_token")
        return 2
    try:
        asyncio.run(run(app, token.get_secret_value(), scheduler=not args.no_scheduler))
    except discord.LoginFailure:
        _complain(app, "discord.bad_token")
        return 2
    except KeyboardInterrupt:
        pass
    return 0


async def start(app: App, token: str) -> MentorbotClient:
    """A logged-in client with its commands synced: everything but the gateway connection."""
    client = build_client(app)
    try:
        await client.login(token)
        synced = await sync_commands(client)
    except BaseException:
        await client.close()
        raise
    guild = app.settings.discord_guild_id
    log.info("%d application commands synced (guild %s)", len(synced), guild)
    if app.settings.discord_advisors_channel_id is None:
        log.warning("DISCORD_ADVISORS_CHANNEL_ID is not set: advisor notifications will wait")
    return client


async def run(app: App, token: str, *, scheduler: bool) -> None:
    client = await start(app, token)
    delivery = None
    try:
        if scheduler:
            worker = app.outbox_worker(DiscordDeliverer(app, client), platforms=("discord",))
            delivery = DeliveryLoop(worker).start()
            client.handler.wake = delivery.wake
        await client.connect(reconnect=True)
    finally:
        if delivery is not None:
            # Off the event loop: a delivery in flight needs the loop to finish.
            await asyncio.to_thread(delivery.stop)
        await client.close()


def _complain(app: App, key: str) -> None:
    renderer = Renderer(app.settings.locale, app.settings.timezone)
    print(renderer.text(Text(key)), file=sys.stderr)
