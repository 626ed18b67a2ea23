"""Forms (modals) that complete a command the core would otherwise answer with a usage.

A button whose action lacks its free text (a reply or a resolution without its text, a check-in
without its answers) opens a form instead of running; its submission builds the command with
what was typed, as typed: nothing is joined into a line and parsed again, so `|`, ` -- ` and
`¦` arrive as they were written. The form's `custom_id` carries everything
(`mb:form:reply:12`; `mba:` when it came from the advisors channel), so a form opened before a
restart can still be submitted after it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import discord

from adapters.discord.views import submitted_value
from bot.commands import AnswerCheckin, Command, ReplyToQuestion, ResolveAlert
from bot.domain import CheckinAnswer
from bot.i18n import Renderer
from bot.replies import Text

Interaction = discord.Interaction[Any]
TextInput = discord.ui.TextInput[discord.ui.Modal]

FORM_ID = re.compile(
    r"mb(?P<scope>a?):form:(?P<kind>reply|resolve|checkin)(?::(?P<number>[0-9]{1,9}))?"
)
CONFIDENCE = ("1", "2", "3", "4", "5")


@dataclass(frozen=True)
class Opening:
    """Which form, and the question or alert number it is about."""

    kind: str  # reply | resolve | checkin
    number: int | None = None

    def action(self, text: str = "") -> Command:
        """The command with this text (none: what runs when no form can be shown)."""
        if self.kind == "reply":
            return ReplyToQuestion(self.number or 0, text)
        if self.kind == "resolve":
            return ResolveAlert(self.number or 0, text)
        return AnswerCheckin(None)


@dataclass(frozen=True)
class Checkin:
    """A check-in as far as the slash command's options went (prefills the form)."""

    confidence: int | None = None
    progress: str | None = None
    blockers: str | None = None
    goal: str | None = None

    def complete(self) -> bool:
        return None not in (self.confidence, self.progress, self.blockers, self.goal)

    def command(self) -> AnswerCheckin | None:
        """The answer as typed (a `|` in it stays a `|`), once every field is there."""
        if self.confidence is None or None in (self.progress, self.goal):
            return None
        strip = [(text or "").strip() for text in (self.progress, self.blockers, self.goal)]
        return AnswerCheckin(CheckinAnswer(strip[0], self.confidence, strip[1], strip[2]))


# The actions a form completes, and the number the form is about.
OPENINGS: dict[type, Callable[[Any], Opening]] = {
    ReplyToQuestion: lambda a: Opening("reply", a.question_id),
    ResolveAlert: lambda a: Opening("resolve", a.alert_id),
    AnswerCheckin: lambda a: Opening("checkin"),
}


def for_action(action: Command | None) -> Opening | None:
    """The form a button's action needs (a button never carries free text, so a reply, a
    resolution or a check-in on a button always lacks it)."""
    opening = OPENINGS.get(type(action))
    return opening(action) if opening is not None else None


def custom_id(opening: Opening, *, advisors: bool) -> str:
    scope = "mba" if advisors else "mb"
    suffix = f":{opening.number}" if opening.number is not None else ""
    return f"{scope}:form:{opening.kind}{suffix}"


def parse_custom_id(value: str) -> tuple[Opening, bool] | None:
    """A submitted form's custom id → its opening and whether it came from the advisors."""
    match = FORM_ID.fullmatch(value)
    if match is None or (match["number"] is None) != (match["kind"] == "checkin"):
        return None
    number = int(match["number"]) if match["number"] else None
    return Opening(match["kind"], number), bool(match["scope"])


def modal(
    opening: Opening, labels: Renderer, *, advisors: bool, prefill: Checkin | None = None
) -> discord.ui.Modal:
    """The form's payload only: submissions are handled by custom id (`MentorbotClient`)."""
    params = {"id": opening.number}
    title = labels.text(Text(f"discord.{opening.kind}_form_title", params))
    form = discord.ui.Modal(title=title[:45], custom_id=custom_id(opening, advisors=advisors))
    if opening.kind == "checkin":
        _checkin_fields(form, labels, prefill or Checkin())
    else:
        label = labels.text(Text(f"discord.{opening.kind}_form_label", params))
        field = TextInput(
            custom_id="text", style=discord.TextStyle.paragraph, min_length=1, max_length=1500
        )
        form.add_item(discord.ui.Label(text=label[:45], component=field))
    return form


def _checkin_fields(form: discord.ui.Modal, labels: Renderer, prefill: Checkin) -> None:
    def label(key: str, component: discord.ui.Item[Any]) -> None:
        form.add_item(discord.ui.Label(text=labels.text(Text(key))[:45], component=component))

    paragraph = discord.TextStyle.paragraph
    label(
        "discord.checkin_progress",
        TextInput(custom_id="progress", style=paragraph, max_length=500, default=prefill.progress),
    )
    options = [
        discord.SelectOption(label=value, value=value, default=value == str(prefill.confidence))
        for value in CONFIDENCE
    ]
    label(
        "discord.checkin_confidence",
        discord.ui.Select[discord.ui.Modal](custom_id="confidence", options=options, required=True),
    )
    label(
        "discord.checkin_blockers",
        TextInput(
            custom_id="blockers",
            style=paragraph,
            max_length=500,
            required=False,
            default=prefill.blockers,
        ),
    )
    label("discord.checkin_goal", TextInput(custom_id="goal", max_length=200, default=prefill.goal))


def submitted(opening: Opening, data: Any) -> Command:
    """What a submission asks for, as typed: the check-in's answers, or the reply's or the
    resolution's text (an incomplete check-in runs bare: the core says what is missing)."""
    if opening.kind == "checkin":
        confidence = submitted_value(data, "confidence")
        answer = Checkin(
            int(confidence) if confidence in CONFIDENCE else None,
            submitted_value(data, "progress"),
            submitted_value(data, "blockers"),
            submitted_value(data, "goal"),
        )
        return answer.command() or opening.action()
    return opening.action(submitted_value(data, "text").strip())


async def send(interaction: Interaction, form: discord.ui.Modal) -> None:
    """Show a form as the first answer (a form cannot follow a deferral). Stopped first, so
    discord.py does not keep it in memory: its submission is handled by custom id."""
    form.stop()
    await interaction.response.send_modal(form)
