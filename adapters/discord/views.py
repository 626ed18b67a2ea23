"""Buttons, select menus and the link-code form, all persistent.

Each component's `custom_id` carries what its click needs (`mb:` + the action to run as the
clicker, encoded by `bot.actions`; `mba:` when the advisors channel shows it, so the clicker must
be an advisor), and the classes are discord.py `DynamicItem`s registered at start: a button sent
before a restart still works after it, with no state kept anywhere. A button posted before
actions carries a command line (`mb:/alerts ack 7`): it still matches, and the core still reads it.
"""

from __future__ import annotations

import re
from typing import Any, Protocol, cast

import discord

PREFIX = "mb"
ADVISORS_PREFIX = "mba"
CUSTOM_ID_LIMIT = 100
LINK_FORM = "mb:form:link"
LINK_FIELD = "code"

Interaction = discord.Interaction[Any]


class Actions(Protocol):
    """What a click needs from the adapter (implemented by `handler.Handler`)."""

    async def choice(self, interaction: Interaction, value: str, *, advisors: bool) -> None: ...
    async def open_link_form(self, interaction: Interaction) -> None: ...


def actions(interaction: Interaction) -> Actions:
    """The handler of the client that received this interaction (see `client.MentorbotClient`)."""
    return cast(Actions, interaction.client.handler)


def custom_id(value: str, *, advisors: bool) -> str:
    return f"{ADVISORS_PREFIX if advisors else PREFIX}:{value}"


class ChoiceButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    # An encoded action (any version: one this release cannot read is answered "no longer
    # valid" by the core), or the command line of a button posted before actions.
    template=r"mb(?P<scope>a?):(?P<value>v[0-9]+:.*|/.+)",
):
    """A core `Choice`: pressing it runs its action as whoever pressed it."""

    def __init__(self, value: str, label: str, *, advisors: bool = False) -> None:
        self.value = value
        self.advisors = advisors
        super().__init__(
            discord.ui.Button(
                label=label[:80],
                custom_id=custom_id(value, advisors=advisors),
                style=discord.ButtonStyle.secondary,
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ChoiceButton:
        label = getattr(item, "label", None) or ""
        return cls(match["value"], label, advisors=bool(match["scope"]))

    async def callback(self, interaction: Interaction) -> None:
        await actions(interaction).choice(interaction, self.value, advisors=self.advisors)


class ChoiceSelect(
    discord.ui.DynamicItem[discord.ui.Select[discord.ui.View]],
    template=r"mb(?P<scope>a?):pick:(?P<index>[0-9])",
):
    """Too many choices for buttons: a menu whose option values are the encoded actions."""

    def __init__(
        self,
        options: list[discord.SelectOption],
        index: int,
        *,
        placeholder: str | None = None,
        advisors: bool = False,
    ) -> None:
        self.advisors = advisors
        scope = ADVISORS_PREFIX if advisors else PREFIX
        super().__init__(
            discord.ui.Select(
                custom_id=f"{scope}:pick:{index}", options=options, placeholder=placeholder
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ChoiceSelect:
        options = list(getattr(item, "options", []))
        return cls(options, int(match["index"]), advisors=bool(match["scope"]))

    async def callback(self, interaction: Interaction) -> None:
        if self.item.values:
            await actions(interaction).choice(
                interaction, self.item.values[0], advisors=self.advisors
            )


class LinkCodeButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=r"mb:link-code"
):
    """Shown to people the bot does not know yet: opens the form to type a link code."""

    def __init__(self, label: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label=label[:80], custom_id="mb:link-code", style=discord.ButtonStyle.primary
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> LinkCodeButton:
        return cls(getattr(item, "label", None) or "")

    async def callback(self, interaction: Interaction) -> None:
        await actions(interaction).open_link_form(interaction)


def link_form(title: str, label: str) -> discord.ui.Modal:
    """The form's payload only: its submission is handled by `MentorbotClient.on_interaction`
    by custom id, so a form opened before a restart can still be submitted after it."""
    form = discord.ui.Modal(title=title[:45], custom_id=LINK_FORM)
    field = discord.ui.TextInput[discord.ui.Modal](
        custom_id=LINK_FIELD, min_length=4, max_length=32, placeholder="ABCD-EFGH"
    )
    form.add_item(discord.ui.Label(text=label[:45], component=field))
    return form


def submitted_value(data: Any, field: str) -> str:
    """A field's value in a modal submission (legacy action rows or labels; for a select menu,
    its first value)."""
    for component in data.get("components", []) if isinstance(data, dict) else []:
        inner = component.get("components") or [component.get("component") or component]
        for item in inner:
            if item.get("custom_id") == field:
                values = item.get("values")
                return str(values[0] if values else item.get("value") or "")
    return ""


DYNAMIC_ITEMS = (ChoiceButton, ChoiceSelect, LinkCodeButton)
