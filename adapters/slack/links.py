"""A session's join link as a Slack button that opens it: a reader's own messages are
`plain_text` sections (nothing in them is ever a link or a ping), so the room needs a button.

Slack still sends the click to the app: it is acknowledged and nothing else."""

from __future__ import annotations

import re
from typing import Any

from bot.meeting import room_problem
from bot.replies import Reply, Text

LINK_ACTION = "mentorbot_link_{n}"
LINK_CLICKED = re.compile(r"^mentorbot_link_")
ROOM_KEYS = frozenset({"meeting.with_link", "meeting.join_line"})  # lines that carry a room
URL_LIMIT = 3000  # characters in a button's url


def rooms(reply: Reply) -> list[str]:
    """The join links in a reply, once each, in order; only what is still a valid room."""
    found: list[str] = []
    for line in reply.lines:
        url = line.params.get("url") if line.key in ROOM_KEYS else None
        if isinstance(url, str) and room_problem(url) is None and url not in found:
            found.append(url)
    return found


def room_buttons(reply: Reply, label: str) -> list[dict[str, Any]]:
    """One actions block with a button per room (`label`: "Join", in the reader's language)."""
    buttons = [
        {
            "type": "button",
            "text": {"type": "plain_text", "text": label, "emoji": True},
            "url": url[:URL_LIMIT],
            "value": "join",  # Slack sends it back with the click, which is only acknowledged
            "action_id": LINK_ACTION.format(n=n),
        }
        for n, url in enumerate(rooms(reply))
    ]
    return [{"type": "actions", "elements": buttons}] if buttons else []


JOIN = Text("slack.join")
