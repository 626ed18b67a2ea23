"""Files that go with a Discord message (an invite, a chart, an export): attached to it.

Discord takes a message and its files in one request, so either both arrive or neither. A
refusal of the files themselves (too large, a rejected form: a 4xx other than a rate limit or a
closed DM) sends the message alone: the text is what must arrive. An outage is raised, so the
outbox tries the whole message again later.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from typing import Any

import discord

from bot.attachments import Attachment

log = logging.getLogger(__name__)

NOT_THE_FILES = frozenset({401, 403, 404, 429})  # the DM or the token, not the files


async def send(
    channel: discord.abc.Messageable,
    content: str,
    attachments: Sequence[Attachment],
    **options: Any,
) -> discord.Message:
    """`channel.send` with the files attached; without them if Discord refuses them."""
    if not attachments:
        return await channel.send(content, **options)
    files = [discord.File(io.BytesIO(a.content), filename=a.filename) for a in attachments]
    try:
        return await channel.send(content, files=files, **options)
    except discord.HTTPException as error:
        if not 400 <= error.status < 500 or error.status in NOT_THE_FILES:
            raise
        names = ", ".join(a.filename for a in attachments)
        log.warning(
            "Discord refused %s (%s %s): sending the text alone", names, error.status, error.code
        )
        return await channel.send(content, **options)
