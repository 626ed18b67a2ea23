"""Modals for commands that still lack their free text: a form only completes the command.

`/escalate` or `/checkin` typed alone, the check-in prompt's button, a mentor's "answer" button
(`ReplyToQuestion` without its text), an advisor's "resolve" button, `/availability add`: each
opens a form whose submission builds the command object from the submitted fields, as typed
(nothing is joined into a line and parsed again, so `|`, ` -- ` and `¦` stay what they were),
and the core checks it like anything typed, so no rule lives here. A form also names the blocks that
the core's refusals are about (`fields`), so such a refusal shows on the modal itself. A new form
is one more entry in FORMS; `modals.py` opens them and reads them back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from adapters.slack.render import Block, SlackRenderer, actions, button, plain
from bot.commands import (
    AddAvailability,
    AddTimeOff,
    AnswerCheckin,
    Command,
    PersonRef,
    RaiseAlert,
    ReplyToQuestion,
    ResolveAlert,
)
from bot.domain import CheckinAnswer
from bot.errors import UserError
from bot.replies import Reply, Text
from bot.text import ascii_int
from bot.timeparse import parse_date, parse_time_range, parse_weekday
from bot.vocabulary import alert_category

Values = Mapping[str, str]
Typed = Callable[[], Command]  # built in the core's unit of work, so it may refuse
CHECKIN_FIELDS = ("progress", "blockers", "goal")
FORM_CALLBACK = "mentorbot_form_{name}"
EXTRA_ACTION = "mentorbot_choice_extra_{n}"
TITLE_LIMIT = 24
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CATEGORIES = ("absence", "circumstances", "disengagement", "disrespect", "plagiarism")
CONFIDENCE = ("1", "2", "3", "4", "5")


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


def _escalate(r: SlackRenderer) -> list[Block]:
    labels = [(c, r.text(Text(f"slack.category.{c}"))) for c in CATEGORIES]
    return [
        _input("category", r.text(Text("slack.escalate.category")), _select(labels)),
        _input("student", r.text(Text("slack.escalate.student")), {"type": "users_select"}),
        _input("summary", r.text(Text("slack.escalate.summary")), _text(300)),
        _input(
            "details",
            r.text(Text("slack.escalate.details")),
            _text(2000, multiline=True),
            optional=True,
        ),
    ]


def _escalate_command(v: Values, args: Sequence[str]) -> Typed:
    """The alert as typed: a ` -- ` in the summary is text, not the private part's start."""
    details = v.get("details", "").strip() or None
    return lambda: RaiseAlert(
        alert_category(v["category"]), PersonRef(f"<@{v['student']}>"), v["summary"], details
    )


def _checkin(r: SlackRenderer) -> list[Block]:
    levels = [(n, r.text(Text(f"slack.checkin.confidence_{n}"))) for n in CONFIDENCE]
    return [
        _input("progress", r.text(Text("slack.checkin.progress")), _text(1500, multiline=True)),
        _input("confidence", r.text(Text("slack.checkin.confidence")), _select(levels)),
        _input(
            "blockers",
            r.text(Text("slack.checkin.blockers")),
            _text(1000, multiline=True),
            optional=True,
        ),
        _input("goal", r.text(Text("slack.checkin.goal")), _text(500)),
    ]


def _checkin_command(v: Values, args: Sequence[str]) -> Typed:
    """The answers as typed (a `|` in one stays a `|`); the confidence is the menu's value."""
    progress, blockers, goal = (
        v.get(name, "").strip() for name in ("progress", "blockers", "goal")
    )

    def answer() -> AnswerCheckin:
        confidence = ascii_int(v["confidence"])
        if confidence is None:
            raise UserError("checkin.bad_confidence", value=v["confidence"])
        return AnswerCheckin(CheckinAnswer(progress, confidence, blockers, goal))

    return answer


def _number(args: Sequence[str], usage: str) -> int:
    """The question or alert number the button said (the view's metadata, maybe forged)."""
    number = ascii_int(args[0].lstrip("#")) if args else None
    if number is None:
        raise UserError(usage, value=args[0] if args else "")
    return number


def _reply_command(v: Values, args: Sequence[str]) -> Typed:
    answer = v["answer"].strip()
    return lambda: ReplyToQuestion(_number(args, "usage.reply"), answer)


def _resolve_command(v: Values, args: Sequence[str]) -> Typed:
    note = v["note"].strip()
    return lambda: ResolveAlert(_number(args, "usage.alerts"), note)


def _window_command(v: Values, args: Sequence[str]) -> Typed:
    """The pickers' values, read by the parser's own readers (and refused as it refuses)."""
    day, hours = v["day"], f"{v['starts']}-{v['ends']}"
    return lambda: AddAvailability(parse_weekday(day), *parse_time_range(hours))


def _time_off_command(v: Values, args: Sequence[str]) -> Typed:
    first, last = v["first"], v.get("last") or v["first"]
    return lambda: AddTimeOff(parse_date(first), parse_date(last))


def _reply(r: SlackRenderer) -> list[Block]:
    return [_input("answer", r.text(Text("slack.reply.answer")), _text(2900, multiline=True))]


def _resolve(r: SlackRenderer) -> list[Block]:
    return [_input("note", r.text(Text("slack.resolve.note")), _text(1000, multiline=True))]


def _window(r: SlackRenderer) -> list[Block]:
    days = [(day, r.text(Text(f"day.{day}"))) for day in DAYS]
    return [
        _input("day", r.text(Text("slack.window.day")), _select(days)),
        _input("starts", r.text(Text("slack.window.starts")), {"type": "timepicker"}),
        _input("ends", r.text(Text("slack.window.ends")), {"type": "timepicker"}),
    ]


def _time_off(r: SlackRenderer) -> list[Block]:
    last = r.text(Text("slack.off.last"))
    return [
        _input("first", r.text(Text("slack.off.first")), {"type": "datepicker"}),
        _input("last", last, {"type": "datepicker"}, optional=True),
    ]


@dataclass(frozen=True)
class Form:
    pattern: re.Pattern[str]  # the incomplete command line this form completes
    title: str  # catalogue key
    inputs: Callable[[SlackRenderer], list[Block]]
    # Values and the pattern's groups → the command it stands for, built in the core's unit of
    # work (a KeyError here: a required field is missing).
    command: Callable[[Values, Sequence[str]], Typed]
    # The core's refusals about one field (error key → block id): shown on that field.
    fields: Mapping[str, str] = field(default_factory=dict)
    quote: bool = False  # show the message whose button opened the form (the question…)


FORMS: dict[str, Form] = {
    "escalate": Form(
        re.compile(r"^/escalate$"),
        "slack.escalate.title",
        _escalate,
        _escalate_command,
        {
            "escalate.unknown_category": "category",
            "error.bad_person": "student",
            "error.unknown_person_ref": "student",
            "error.not_your_student": "student",
            "usage.escalate": "summary",
        },
    ),
    "checkin": Form(
        re.compile(r"^/checkin$", re.I),
        "slack.checkin.title",
        _checkin,
        _checkin_command,
        {"checkin.bad_confidence": "confidence", "checkin.usage": "progress"},
    ),
    "reply": Form(
        re.compile(r"^/reply #?([0-9]+)$"),
        "slack.reply.title",
        _reply,
        _reply_command,
        quote=True,
    ),
    "resolve": Form(
        re.compile(r"^/alerts (?:resolve|resoudre|close|clore) #?([0-9]+)$", re.I),
        "slack.resolve.title",
        _resolve,
        _resolve_command,
        {"alert.resolve_needs_note": "note"},
        quote=True,
    ),
    "window": Form(
        re.compile(r"^/availability (?:add|ajouter)$", re.I),
        "slack.window.title",
        _window,
        _window_command,
        {"error.bad_time_range": "ends", "availability.overlaps": "starts"},
    ),
    "time_off": Form(
        re.compile(r"^/availability (?:off|absent)$", re.I),
        "slack.off.title",
        _time_off,
        _time_off_command,
        {"error.bad_date_range": "last", "availability.off_in_past": "first"},
    ),
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
