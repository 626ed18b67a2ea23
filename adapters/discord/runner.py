"""Discord as a part of a serving process: log in, sync the commands, hold the gateway.

The client runs its own event loop in a thread of its own. Discord sends every event to every
gateway session of a token, so with several replicas only the one holding the gateway lock
connects (on SQLite, the one process does); the others are logged in for REST only and deliver
their share of the outbox. A standby takes the gateway over within MENTORBOT_LEADER_RETRY_SECONDS
of the holder's death.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import aiohttp
import discord

from adapters.bootstrap import App
from adapters.campaign import Campaign
from adapters.discord.client import MentorbotClient, build_client, sync_commands
from adapters.error_codes import error_code
from adapters.service import StartupRefused

log = logging.getLogger(__name__)

T = TypeVar("T")
GATEWAY_LOCK = "mentorbot.discord.gateway"
LOGIN_TIMEOUT = 60.0


async def log_in(client: MentorbotClient, token: str) -> None:
    """Everything but the gateway: the token checked (`GET /users/@me`), the commands synced."""
    await client.login(token)
    synced = await sync_commands(client)
    log.info("%d application commands synced", len(synced))
    if client.app.settings.discord_advisors_channel_id is None:
        log.warning("DISCORD_ADVISORS_CHANNEL_ID is not set: advisor notifications will wait")


async def start(app: App, token: str) -> MentorbotClient:
    """A logged-in client with its commands synced, in the caller's event loop (tests)."""
    client = build_client(app)
    try:
        await log_in(client, token)
    except BaseException:
        await client.close()
        raise
    return client


class DiscordService:
    name = "discord"

    def __init__(self, app: App, token: str, *, on_fatal: Callable[[str], None]) -> None:
        self.app = app
        self.token = token
        self.on_fatal = on_fatal
        self.client: MentorbotClient = build_client(app, wake=app.queued)
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="discord", daemon=True)
        self._gateway: concurrent.futures.Future[None] | None = None
        self._gateway_task: asyncio.Task[None] | None = None
        self.campaign = Campaign(
            "discord-gateway",
            app.database.leadership(GATEWAY_LOCK),
            every=app.settings.leader_retry_seconds,
            on_gain=self._connect,
            on_loss=self._lost,
        )

    def start(self) -> None:
        """Logs in and syncs (a refused token stops start-up), then campaigns for the gateway."""
        self._thread.start()
        try:
            self._call(self._login(), LOGIN_TIMEOUT)
        except discord.LoginFailure:
            raise StartupRefused("discord.bad_token") from None
        except (discord.HTTPException, aiohttp.ClientError, OSError) as error:
            raise StartupRefused("discord.unreachable", reason=error_code(error)) from None
        self.campaign.start()

    async def _login(self) -> None:
        await log_in(self.client, self.token)

    def _connect(self) -> None:
        self._gateway = asyncio.run_coroutine_threadsafe(self._hold_gateway(), self.loop)

    async def _hold_gateway(self) -> None:
        self._gateway_task = asyncio.current_task()
        try:
            await self.client.connect(reconnect=True)
        except Exception as error:  # a gateway refusal no reconnect can fix (bad intents, …)
            if not self.client.is_closed():
                log.exception("the Discord gateway connection ended")
                self.on_fatal(f"Discord gateway: {error!r}")

    def _lost(self) -> None:
        """Another replica may hold the gateway now: this process must not answer events too.
        It stops, and its supervisor restarts it as a standby."""
        if self._gateway is not None and not self.client.is_closed():
            self.on_fatal("the Discord gateway lock was lost")

    @property
    def gateway(self) -> str:
        if not self.campaign.leading:
            return "standby"
        ws = self.client.ws
        return "connected" if self.client.is_ready() and ws is not None and ws.open else "down"

    def status(self) -> dict[str, object]:
        gateway = self.gateway
        return {"ready": gateway != "down", "gateway": gateway}

    def stop(self, timeout: float) -> None:
        """Close the gateway with a close frame and the HTTP session; release the lock."""
        try:
            self._call(self._close(), timeout)
        except (concurrent.futures.TimeoutError, RuntimeError):
            log.warning("the Discord client did not close within %.0f s", timeout)
        self.campaign.stop(timeout)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout)

    async def _close(self) -> None:
        """The client, then whatever discord.py still had pending (a stop before READY leaves
        its handshake tasks behind: cancelled here, not destroyed with the loop)."""
        # The read in progress first: woken by close(), discord.py would answer with close
        # code 4000 ("resume me"), and Discord would keep showing the bot online for a while.
        if self._gateway_task is not None:
            self._gateway_task.cancel()
            await asyncio.gather(self._gateway_task, return_exceptions=True)
        await self.client.close()
        pending = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    def _call(self, coroutine: Coroutine[Any, Any, T], timeout: float) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)
