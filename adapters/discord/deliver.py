"""The outbox's Discord deliverer: DMs to people, buttons to the advisors channel.

It runs in the delivery worker's senders and hands each send to the client's event loop.
Limits: every REST request of the client first takes room under the bot's global limit
(`MENTORBOT_DISCORD_REQUESTS_PER_SECOND`, 50 by Discord; pacing.py), which discord.py does not
keep ahead of time; each route's bucket (`X-RateLimit-Bucket`, `-Remaining`, `-Reset-After`) is
kept by discord.py's HTTP client, which learns them from Discord's answers, queues requests on
a spent bucket until it resets, and sleeps out a 429 (a global one stops every request).
A DM channel, once opened, is remembered (discord.py keeps only its last 128), so a person's
next message costs one request, not two.
discord.py has already retried what it retries (a short 429, some 5xx); what is left becomes
`DeliveryFailed`: a longer rate limit with its `retry_after`, a closed DM (403, code 50007) as
permanent, an outage as a retry with backoff.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from typing import Any

import aiohttp
import discord

from adapters.bootstrap import App
from adapters.discord import files, render
from adapters.discord.identity import PLATFORM
from adapters.discord.pacing import pace
from bot.domain import Notification, Person
from bot.outbox import DeliveryFailed, Unreachable
from bot.replies import Reply, Text

log = logging.getLogger(__name__)

CANNOT_DM = 50007  # "Cannot send messages to this user": DMs closed, or no shared server
UNKNOWN_USER = 10013
INVALID_FORM = 50035
DEFAULT_RETRY_AFTER = 60.0


def failure(error: discord.HTTPException) -> DeliveryFailed:
    """Discord's refusal → how the outbox should treat it."""
    reason = f"Discord {error.status} (code {error.code}): {error.text}"
    if error.status == 429:  # not retried by discord.py (no Via header: Cloudflare)
        header = error.response.headers.get("Retry-After")
        try:
            wait = float(header) if header is not None else DEFAULT_RETRY_AFTER
        except ValueError:
            wait = DEFAULT_RETRY_AFTER
        return DeliveryFailed(reason, retry_after=wait)
    if error.status >= 500:
        return DeliveryFailed(reason)
    permanent = error.code in (CANNOT_DM, UNKNOWN_USER, INVALID_FORM) or error.status == 400
    return DeliveryFailed(reason, permanent=permanent)


class DiscordDeliverer:
    def __init__(
        self,
        app: App,
        client: discord.Client,
        *,
        timeout: float = 90.0,
    ) -> None:
        self.app = app
        self.client = client
        self.timeout = timeout  # above MAX_RATE_LIMIT_WAIT, so discord.py's own waits fit
        self.limiter = pace(client, app.settings.discord_requests_per_second)
        self._dm_channels: dict[int, int] = {}  # Discord user id -> their DM channel's id

    def deliver(self, recipient: Person | None, notification: Notification) -> str | None:
        """Called from the outbox thread; returns `channel_id/message_id` for later edits."""
        user_id = self._discord_id(recipient) if recipient is not None else None
        coroutine = self._send(recipient, user_id, notification)
        future = asyncio.run_coroutine_threadsafe(coroutine, self.client.loop)
        try:
            return future.result(self.timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise DeliveryFailed(f"no answer from Discord within {self.timeout:.0f} s") from None
        except discord.RateLimited as limited:
            raise DeliveryFailed("rate limited", retry_after=limited.retry_after) from limited
        except discord.HTTPException as error:
            raise failure(error) from error
        except (aiohttp.ClientError, OSError) as error:
            raise DeliveryFailed(f"Discord unreachable: {error!r}") from error

    def _discord_id(self, person: Person) -> int:
        external = self.app.core.views.account(person.id, PLATFORM)
        if external is None or not external.isdigit():
            raise Unreachable(f"{person.email} has no Discord account linked")
        return int(external)

    async def _send(
        self, recipient: Person | None, user_id: int | None, notification: Notification
    ) -> str:
        reply = Reply((Text(notification.key, notification.params),), notification.choices)
        settings = self.app.settings
        channel: discord.abc.Messageable
        if recipient is None or user_id is None:
            channel = self._advisors_channel()
            locale, zone, advisors = settings.locale, settings.timezone, True
            mentions = discord.AllowedMentions.none()
        else:
            channel = await self._dm(user_id)
            locale, zone, advisors = recipient.locale, recipient.timezone, False
            mentions = discord.AllowedMentions(users=[discord.Object(id=user_id)])
        text, labels = render.renderers(locale, zone)
        view = render.choices_view(reply.choices, labels, advisors=advisors)
        chunks = render.contents(reply, text)
        if notification.edit_ref and len(chunks) == 1:
            edited = await self._edit(notification.edit_ref, chunks[0], view)
            if edited is not None:
                return edited
        for chunk in chunks[:-1]:
            await channel.send(chunk, allowed_mentions=mentions)
        options: dict[str, Any] = {"allowed_mentions": mentions}
        if view is not None:
            options["view"] = view
        message = await files.send(channel, chunks[-1], notification.attachments, **options)
        return f"{message.channel.id}/{message.id}"

    async def _dm(self, user_id: int) -> discord.abc.Messageable:
        known = self._dm_channels.get(user_id)
        if known is not None:
            return self.client.get_partial_messageable(known, type=discord.ChannelType.private)
        channel = await self.client.create_dm(discord.Object(id=user_id))
        self._dm_channels[user_id] = channel.id
        return channel

    def _advisors_channel(self) -> discord.PartialMessageable:
        channel_id = self.app.settings.discord_advisors_channel_id
        if channel_id is None:
            raise DeliveryFailed("DISCORD_ADVISORS_CHANNEL_ID is not set")
        return self.client.get_partial_messageable(channel_id)

    async def _edit(self, ref: str, content: str, view: discord.ui.View | None) -> str | None:
        """Replace an earlier message (an alert's new status); None when it is gone."""
        channel_id, _, message_id = ref.partition("/")
        if not (channel_id.isdigit() and message_id.isdigit()):
            return None
        channel = self.client.get_partial_messageable(int(channel_id))
        try:
            await channel.get_partial_message(int(message_id)).edit(content=content, view=view)
        except discord.NotFound:
            log.info("message %s to edit is gone: sending a new one", ref)
            return None
        return ref
