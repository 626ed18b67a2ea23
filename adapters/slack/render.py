"""Core replies → Block Kit, with every piece of text escaped for Slack.

Slack parses `&`, `<` and `>` as control characters in message text (`<!channel>` pings a whole
channel), so everything we show is escaped, templates included, and never sent with `link_names`.
Replies to one person are `plain_text` sections in that person's own zone (the zone they type
dates in); channel posts are `mrkdwn` with `<!date^…>` so each reader sees their own time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from adapters.slack.links import JOIN, room_buttons
from bot import actions as encoded
from bot.i18n import Renderer
from bot.replies import Choice, Reply, Text

Block = dict[str, Any]

SECTION_LIMIT = 3000  # characters in a section's text
BUTTON_LIMIT = 75  # characters in a button's label
VALUE_LIMIT = 2000  # characters in a button's value
BUTTONS_PER_ROW = 5
CHOICE_ACTION = "mentorbot_choice_{n}"


def escape(text: str) -> str:
    """Slack's three control characters, `&` first so an escape is never escaped twice."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """What Slack escaped in a slash command's text, back to what the person typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# Slack's markup for a link or an email someone typed: <https://…|label>, <mailto:a@b|a@b>.
_LINK = re.compile(r"<(?:mailto:)?((?:https?://|[^@<>|\s]+@)[^<>|\s]+)(?:\|[^<>]*)?>")


def typed(text: str) -> str:
    """Incoming Slack text → what the person typed: links back to plain addresses, then the
    escaped characters; mentions (`<@U123|name>`) stay, the core resolves them."""
    return unescape(_LINK.sub(lambda m: m[1], text))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class SlackRenderer(Renderer):
    """The core's Renderer, escaping for Slack; `slack_dates` renders datetimes as `<!date^…>`."""

    def __init__(self, locale: str, timezone: str, *, slack_dates: bool = False) -> None:
        super().__init__(locale, timezone)
        self.slack_dates = slack_dates

    def text(self, item: Text) -> str:
        template = self.template(item)
        params = {name: self.value(value) for name, value in item.params.items()}
        try:
            return escape(template).format(**params)
        except (KeyError, IndexError):
            return escape(template)

    def value(self, value: object) -> str:
        if isinstance(value, Text):
            return self.text(value)
        if isinstance(value, list | tuple):
            return ", ".join(self.value(v) for v in value)
        if isinstance(value, datetime) and self.slack_dates:
            fallback = super().value(value)
            return f"<!date^{int(value.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"
        return escape(super().value(value))


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def mrkdwn(text: str) -> dict[str, Any]:
    # verbatim: Slack must not turn a bare "#channel" or "@here" into a link or a ping.
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def section(text: str, *, markup: bool = False) -> Block:
    """One line: plain_text for a reader's own replies, mrkdwn (for <!date^…>) in channels."""
    text = _clip(text, SECTION_LIMIT)
    return {"type": "section", "text": mrkdwn(text) if markup else plain(text)}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(_clip(text, 150))}


def button(label: str, value: str, action_id: str, *, primary: bool = False) -> Block:
    element: Block = {
        "type": "button",
        "text": plain(_clip(label, BUTTON_LIMIT)),
        "value": value[:VALUE_LIMIT],
        "action_id": action_id,
    }
    if primary:
        element["style"] = "primary"
    return element


def choice_rows(choices: Sequence[Choice], renderer: SlackRenderer) -> list[Block]:
    """Each choice a button whose value is its encoded action, run as whoever clicks it."""
    buttons = [
        button(
            renderer.text(choice.label), encoded.encode(choice.action), CHOICE_ACTION.format(n=n)
        )
        for n, choice in enumerate(choices)
    ]
    return actions(buttons)


def actions(buttons: Sequence[Block]) -> list[Block]:
    return [
        {"type": "actions", "elements": list(buttons[i : i + BUTTONS_PER_ROW])}
        for i in range(0, len(buttons), BUTTONS_PER_ROW)
    ]


def line_texts(reply: Reply, renderer: SlackRenderer) -> list[str]:
    texts = [renderer.text(line) for line in reply.lines]
    if reply.is_error and texts:
        texts[0] = f"⚠️ {texts[0]}"
    return texts


def reply_blocks(
    reply: Reply, renderer: SlackRenderer, *, markup: bool = False, texts: list[str] | None = None
) -> list[Block]:
    """`texts`: the reply's lines, when they are rendered already (`message`)."""
    lines = line_texts(reply, renderer) if texts is None else texts
    blocks = [section(text, markup=markup) for text in lines]
    joins = room_buttons(reply, renderer.text(JOIN))  # a plain_text link is not clickable
    return blocks + joins + choice_rows(reply.choices, renderer)


def fallback(lines: Iterable[str]) -> str:
    """The message's top-level `text`: shown in notifications, read by screen readers."""
    return _clip("\n".join(lines), SECTION_LIMIT)


def message(reply: Reply, renderer: SlackRenderer, *, markup: bool = False) -> dict[str, Any]:
    """Keyword arguments for chat.postMessage or a response_url: text, blocks, no link_names."""
    texts = line_texts(reply, renderer)  # once for both: each line may format dates
    return {
        "text": fallback(texts),
        "blocks": reply_blocks(reply, renderer, markup=markup, texts=texts),
    }
