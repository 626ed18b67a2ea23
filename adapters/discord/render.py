"""A core reply as Discord content and components, for one reader.

Text goes through `DiscordRenderer`: datetimes become Discord timestamps (`<t:UNIX:F>`), which
every reader's client shows in their own zone and language, and text people typed is escaped
so it cannot format the message. Labels of buttons and menus cannot hold timestamps, so they
are plain text in the reader's zone (set with `/mentorbot timezone`).
"""

from __future__ import annotations

from datetime import datetime

import discord

from adapters.discord import views
from bot import actions
from bot.i18n import Renderer
from bot.replies import Choice, Reply, Text

MESSAGE_LIMIT = 2000
BUTTONS_PER_VIEW = 25  # 5 rows of 5
OPTIONS_PER_SELECT = 25
SELECTS_PER_VIEW = 5
ERROR_MARK = "⚠️ "


class RenderError(Exception):
    """A reply this adapter cannot show; raised rather than showing part of it."""


class DiscordRenderer(Renderer):
    def value(self, value: object) -> str:
        if isinstance(value, datetime):
            return discord.utils.format_dt(value, "F")
        if isinstance(value, str):
            return discord.utils.escape_markdown(value)
        return super().value(value)


def renderers(locale: str, timezone: str) -> tuple[DiscordRenderer, Renderer]:
    """The message renderer and the label renderer for one reader."""
    return DiscordRenderer(locale, timezone), Renderer(locale, timezone)


def contents(reply: Reply, renderer: Renderer) -> list[str]:
    """The reply's lines as messages of at most 2,000 characters, split between lines."""
    lines = renderer.reply(reply)
    if reply.is_error and lines:
        lines[0] = ERROR_MARK + lines[0]
    chunks: list[str] = []
    current = ""
    for line in lines:
        while len(line) > MESSAGE_LIMIT:  # a single huge line: cut it, never drop it
            chunks, current = _flush(chunks, current), ""
            chunks.append(line[:MESSAGE_LIMIT])
            line = line[MESSAGE_LIMIT:]
        if current and len(current) + 1 + len(line) > MESSAGE_LIMIT:
            chunks, current = _flush(chunks, current), ""
        current = f"{current}\n{line}" if current else line
    return _flush(chunks, current) or [""]


def _flush(chunks: list[str], current: str) -> list[str]:
    return [*chunks, current] if current else chunks


def choices_view(
    choices: tuple[Choice, ...], labels: Renderer, *, advisors: bool = False
) -> discord.ui.View | None:
    """Buttons when they fit (25, each action in its custom id), else select menus. An
    encoded action is at most `actions.MAX_LENGTH` long, so it always fits a custom id."""
    unique = {actions.encode(choice.action): choice for choice in choices}
    if not unique:
        return None
    view = discord.ui.View(timeout=None)
    if len(unique) <= BUTTONS_PER_VIEW:
        for value, choice in unique.items():
            label = labels.text(choice.label)
            view.add_item(views.ChoiceButton(value, label, advisors=advisors))
        return view
    if len(unique) > OPTIONS_PER_SELECT * SELECTS_PER_VIEW:
        raise RenderError(f"{len(unique)} choices do not fit in one Discord message")
    placeholder = labels.text(Text("discord.pick"))
    items = list(unique.items())
    for index in range(0, len(items), OPTIONS_PER_SELECT):
        options = [
            discord.SelectOption(label=labels.text(choice.label)[:100], value=value)
            for value, choice in items[index : index + OPTIONS_PER_SELECT]
        ]
        number = index // OPTIONS_PER_SELECT
        view.add_item(
            views.ChoiceSelect(options, number, placeholder=placeholder, advisors=advisors)
        )
    return view


def link_view(labels: Renderer) -> discord.ui.View:
    """For people the bot does not know: a button that opens the link-code form."""
    view = discord.ui.View(timeout=None)
    view.add_item(views.LinkCodeButton(labels.text(Text("discord.enter_code"))))
    return view
