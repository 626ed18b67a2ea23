"""Text typed by people is echoed to others: it must never ping a crowd or a stranger."""

from __future__ import annotations

import re

ZERO_WIDTH = "\u200b"
# @everyone / @here / @channel (Discord, Slack with link_names), and the markup forms
# <!channel>, <!here>, <!subteam^…>, <@U123>, <@&role>, <#channel> that Slack and Discord parse.
_CROWD = re.compile(r"@(everyone|here|channel)\b", re.IGNORECASE)
_MARKUP = re.compile(r"<([!@#&])")
_MAX_LENGTH = 3000


def neutralise(text: str) -> str:
    """Keep what the person wrote readable, but make every mention inert; cap its length."""
    text = text.replace("\x00", "")[:_MAX_LENGTH]
    text = _CROWD.sub(lambda m: f"@{ZERO_WIDTH}{m.group(1)}", text)
    return _MARKUP.sub(lambda m: f"<{ZERO_WIDTH}{m.group(1)}", text)
