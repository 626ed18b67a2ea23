"""Modals for commands that still lack their free text: a form only completes the command.

`/escalate` or `/checkin` typed alone, the check-in prompt's button, a mentor's "answer" button
(`ReplyToQuestion` without its text), an advisor's "resolve" button, `/availability add`: each
opens a form whose submission builds the command object from the submitted fields, as typed
(nothing is joined into a line and parsed again, so `|`, ` -- ` and `¦` stay what they were),
and the core checks it like anything typed, so no rule lives here. The forms are the registry's
(`bot.registry`: a command's or an action's `form`): its fields, the options they fill (their
kind makes the input: a menu of a vocabulary, a people, date or time picker, text), and the
refusals shown on a field; the command's own builder reads the submission. Labels are
`slack.<form>.<field>`. `modals.py` opens them and reads them back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from adapters.slack.render import Block, SlackRenderer, actions, button, plain
from bot.commands import AnswerCheckin, Command, PersonRef, ReplyToQuestion, ResolveAlert
from bot.registry import REGISTRY, Action, Kind, Option, Spec
from bot.registry import Values as RegistryValues
from bot.registry.model import Builder
from bot.registry.model import Field as RegistryField
from bot.registry.model import Form as RegistryForm
from bot.replies import Reply, Text
from bot.vocabulary import Term, Vocabulary

Values = Mapping[str, str]
Typed = Callable[[], Command]  # built in the core's unit of work, so it may refuse
FORM_CALLBACK = "mentorbot_form_{name}"
EXTRA_ACTION = "mentorbot_choice_extra_{n}"
TITLE_LIMIT = 24
TEXT_LIMIT = 3000  # Slack's plain_text_input maximum
PICKERS = {Kind.PERSON: "users_select", Kind.DATE: "datepicker", Kind.TIME: "timepicker"}


def _input(block_id: str, label: str, element: Block, *, optional: bool = False) -> Block:
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "optional": optional,
        "element": {**element, "action_id": block_id},
    }


def _text(max_length: int, *, multiline: bool = False) -> Block:
    return {"type": "plain_text_input", "multiline": multiline, "max_length": max_length}


def _select(options: Sequence[tuple[str, str]]) -> Block:
    return {
        "type": "static_select",
        "options": [{"text": plain(label), "value": value} for value, label in options],
    }


def _widget(option: Option, field_: RegistryField, r: SlackRenderer) -> Block:
    """The input an option's kind asks for: a menu of its vocabulary, a people picker, a
    date or time picker, or text."""
    vocabulary = field_.menu or option.vocabulary
    if vocabulary is not None:
        return _select(
            [(str(term.value), _label(vocabulary, term, r)) for term in vocabulary.terms]
        )
    picker = PICKERS.get(option.kind)
    if picker is not None:
        return {"type": picker}
    length = field_.max_length or option.max_length or TEXT_LIMIT
    return _text(length, multiline=option.kind is Kind.LONG_TEXT)


def _label(vocabulary: Vocabulary, term: Term, r: SlackRenderer) -> str:
    return r.text(Text(term.label)) if vocabulary.translated else term.label


@dataclass(frozen=True)
class Form:
    """A form of the registry (`bot.registry.model.Form`) as Slack shows and reads it."""

    declared: RegistryForm
    options: Mapping[str, Option]  # the options of the command (or action) it completes
    build: Builder
    pattern: re.Pattern[str]  # the incomplete command line this form completes

    @property
    def title(self) -> str:
        return f"slack.{self.declared.stem}.title"

    @property
    def fields(self) -> Mapping[str, str]:
        """The core's refusals about one field (error key → block id): shown on that field."""
        return self.declared.refusals

    @property
    def quote(self) -> bool:
        """Show the message whose button opened the form (the question…)."""
        return self.declared.quote

    def inputs(self, r: SlackRenderer) -> list[Block]:
        return [self._input(field_, r) for field_ in self.declared.fields]

    def _input(self, field_: RegistryField, r: SlackRenderer) -> Block:
        option = self.options[field_.option]
        required = option.required if field_.required is None else field_.required
        label = r.text(Text(f"slack.{self.declared.stem}.{field_.block}"))
        return _input(field_.block, label, _widget(option, field_, r), optional=not required)

    def command(self, values: Values, args: Sequence[str]) -> Typed:
        """The submitted fields, and what the opening line said (`/reply 12`: the question),
        read by the command's own builder, as typed: a `|` or ` -- ` stays what it is."""
        given: dict[str, object] = {
            f.option: self._value(f.option, values.get(f.block)) for f in self.declared.fields
        }
        given.update(zip(self.declared.carried, args, strict=False))
        return lambda: self.build(RegistryValues(given))

    def _value(self, option: str, value: str | None) -> object:
        if value is not None and self.options[option].kind is Kind.PERSON:
            return PersonRef(f"<@{value}>")  # users_select gives the id; the core resolves it
        return value


def _form(spec: Spec, action: Action | None, declared: RegistryForm) -> Form:
    """The registry's form, opened by its bare command line (`/availability add`)."""
    words = f"/{spec.name}"
    if action is not None:
        words += " (?:" + "|".join(map(re.escape, action.names())) + ")"
    words += " #?([0-9]+)" * len(declared.carried)
    build = action.build if action is not None else spec.build
    assert build is not None, f"the form {declared.name} completes a command with no builder"
    options = {o.name: o for o in (action.options if action is not None else spec.options)}
    return Form(declared, options, build, re.compile(f"^{words}$", re.I))


FORMS: dict[str, Form] = {
    declared.name: _form(spec, action, declared) for spec, action, declared in REGISTRY.forms()
}
# Buttons under a reply that invites a form: the availability list offers to add to it.
EXTRA_BUTTONS = {
    "availability": (
        ("/availability add", "slack.button.window"),
        ("/availability off", "slack.button.off"),
    )
}
LISTING = ("", "list", "liste")


# The forms a button's action opens (a button never carries free text: a reply, a resolution
# or a check-in on one always lacks it), with the number it is about.
FORMS_FOR_ACTIONS: dict[type, Callable[[Any], tuple[str, list[str]]]] = {
    ReplyToQuestion: lambda a: ("reply", [str(a.question_id)]),
    ResolveAlert: lambda a: ("resolve", [str(a.alert_id)]),
    AnswerCheckin: lambda a: ("checkin", []),
}


def form_for_action(action: Command | None) -> tuple[str, list[str]] | None:
    """The form that completes a button's action, with what the action already says."""
    found = FORMS_FOR_ACTIONS.get(type(action))
    return found(action) if found is not None else None


def form_for(line: str) -> tuple[str, list[str]] | None:
    """The form that completes this typed command line, with what the line already says."""
    normalised = " ".join(line.split())
    for name, form in FORMS.items():
        if match := form.pattern.match(normalised):
            return name, list(match.groups())
    return None


def extra_buttons(name: str, text: str, reply: Reply, renderer: SlackRenderer) -> list[Block]:
    offered = EXTRA_BUTTONS.get(name.lower())
    if not offered or reply.is_error or text.lower() not in LISTING:
        return []
    return actions(
        [
            button(renderer.text(Text(label)), line, EXTRA_ACTION.format(n=n))
            for n, (line, label) in enumerate(offered)
        ]
    )
