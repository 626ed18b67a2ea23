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
from bot.i18n import Renderer
from bot.registry import REGISTRY, Kind, Option, Values
from bot.registry.model import Builder
from bot.registry.model import Field as RegistryField
from bot.registry.model import Form as RegistryForm
from bot.replies import Text
from bot.vocabulary import CONFIDENCE

Interaction = discord.Interaction[Any]
TextInput = discord.ui.TextInput[discord.ui.Modal]

FORM_ID = re.compile(
    r"mb(?P<scope>a?):form:(?P<kind>reply|resolve|checkin)(?::(?P<number>[0-9]{1,9}))?"
)
CHECKIN_FIELDS = ("confidence", "progress", "blockers", "goal")
TEXT_LIMIT = 4000  # a text input's maximum on Discord


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
        """The answer as typed (a `|` in it stays a `|`), once every field is there: read by
        the registry's `/checkin` builder, as Discord's options and Slack's form are."""
        built = _checkin_builder()(Values(self.given()))
        return built if isinstance(built, AnswerCheckin) and built.answer is not None else None

    def given(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in CHECKIN_FIELDS}


def _checkin_builder() -> Builder:
    spec = REGISTRY.find("checkin")
    assert spec is not None and spec.build is not None
    return spec.build


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
    declared, options = _declared(opening.kind)
    given = prefill.given() if prefill is not None else {}
    for field in declared.fields:
        key = _label_key(opening.kind, field, single=len(declared.fields) == 1)
        component = _component(field, options[field.option], given.get(field.option))
        form.add_item(
            discord.ui.Label(text=labels.text(Text(key, params))[:45], component=component)
        )
    return form


def _declared(kind: str) -> tuple[RegistryForm, dict[str, Option]]:
    """The registry's form of this name, and the options of the command it completes."""
    for spec, action, declared in REGISTRY.forms():
        if declared.name == kind:
            owner = action if action is not None else spec
            return declared, {option.name: option for option in owner.options}
    raise LookupError(f"no form {kind!r} in the registry")


def _label_key(kind: str, field: RegistryField, *, single: bool) -> str:
    """`discord.reply_form_label` for a form of one field, else `discord.checkin_goal`."""
    return f"discord.{kind}_form_label" if single else f"discord.{kind}_{field.block}"


def _component(field: RegistryField, option: Option, prefill: object) -> discord.ui.Item[Any]:
    """A menu of the field's vocabulary, or text (several lines for long text)."""
    required = option.required if field.required is None else field.required
    vocabulary = field.menu or option.vocabulary
    if vocabulary is not None:
        choices = [
            discord.SelectOption(label=str(v), value=str(v), default=str(v) == str(prefill))
            for v in vocabulary.values()
        ]
        return discord.ui.Select[discord.ui.Modal](
            custom_id=field.block, options=choices, required=required
        )
    long = option.kind is Kind.LONG_TEXT
    return TextInput(
        custom_id=_text_id(field),
        style=discord.TextStyle.paragraph if long else discord.TextStyle.short,
        max_length=min(field.max_length or option.max_length or TEXT_LIMIT, TEXT_LIMIT),
        required=required,
        default=str(prefill) if isinstance(prefill, str) else None,
    )


def _text_id(field: RegistryField) -> str:
    """A reply's or a resolution's one text field keeps the id forms already open have."""
    return "text" if field.option in ("answer", "note") else field.block


def submitted(opening: Opening, data: Any) -> Command:
    """What a submission asks for, as typed: the check-in's answers, or the reply's or the
    resolution's text (an incomplete check-in runs bare: the core says what is missing)."""
    if opening.kind == "checkin":
        confidence = CONFIDENCE.lookup(submitted_value(data, "confidence"))
        answer = Checkin(
            int(confidence) if confidence is not None else None,
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
