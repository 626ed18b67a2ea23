"""Modals for command lines that still lack their free text: a form only finishes the line.

`/escalate` typed alone, a mentor's "reply" button (`/reply 12`), an advisor's "resolve" button
(`/alerts resolve 3`), `/availability add`: each opens a form whose submission becomes the full
command line and goes through the core like anything typed, so no rule lives here. A new form
(check-in, notes) is one more entry in FORMS.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from adapters.slack.identity import SlackIdentity
from adapters.slack.render import Block, SlackRenderer, actions, button, plain
from bot.replies import Reply, Text

Values = Mapping[str, str]
FORM_CALLBACK = "mentorbot_form_{name}"
EXTRA_ACTION = "mentorbot_choice_extra_{n}"
TITLE_LIMIT = 24
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CATEGORIES = ("absence", "circumstances", "disengagement", "disrespect", "plagiarism")
DETAILS_SEPARATOR = " -- "  # the core's: what follows stays private to advisors


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


def _escalate_line(v: Values, args: Sequence[str]) -> str:
    details = f"{DETAILS_SEPARATOR}{v['details']}" if v.get("details") else ""
    summary = v["summary"].replace(DETAILS_SEPARATOR, " - ")
    return f"/escalate {v['category']} <@{v['student']}> {summary}{details}"


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
    line: Callable[[Values, Sequence[str]], str]  # values and the pattern's groups → line


FORMS: dict[str, Form] = {
    "escalate": Form(re.compile(r"^/escalate$"), "slack.escalate.title", _escalate, _escalate_line),
    "reply": Form(
        re.compile(r"^/reply #?(\d+)$"),
        "slack.reply.title",
        _reply,
        lambda v, a: f"/reply {a[0]} {v['answer']}",
    ),
    "resolve": Form(
        re.compile(r"^/alerts (?:resolve|resoudre|close|clore) #?(\d+)$", re.I),
        "slack.resolve.title",
        _resolve,
        lambda v, a: f"/alerts resolve {a[0]} {v['note']}",
    ),
    "window": Form(
        re.compile(r"^/availability (?:add|ajouter)$", re.I),
        "slack.window.title",
        _window,
        lambda v, a: f"/availability add {v['day']} {v['starts']}-{v['ends']}",
    ),
    "time_off": Form(
        re.compile(r"^/availability (?:off|absent)$", re.I),
        "slack.off.title",
        _time_off,
        lambda v, a: f"/availability off {v['first']} {v.get('last', '')}".rstrip(),
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


def form_for(line: str) -> tuple[str, list[str]] | None:
    """The form that completes this command line, with what the line already says."""
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


def submitted_values(view: Mapping[str, Any]) -> dict[str, str]:
    """A view_submission's state, flattened: block id → the value whatever the element."""
    values: dict[str, str] = {}
    for block_id, elements in (view.get("state") or {}).get("values", {}).items():
        for element in elements.values():
            value = (
                element.get("value")
                or (element.get("selected_option") or {}).get("value")
                or element.get("selected_time")
                or element.get("selected_date")
                or element.get("selected_user")
            )
            if value:
                values[block_id] = str(value)
    return values


def completed_line(name: str, view: Mapping[str, Any]) -> str | None:
    """The command line a submitted form stands for; None if the form or a field is missing."""
    form = FORMS.get(name)
    if form is None:
        return None
    metadata = read_metadata(view)
    try:
        return form.line(submitted_values(view), [str(a) for a in metadata.get("args", [])])
    except (KeyError, IndexError):  # a required field Slack should have enforced
        return None


def read_metadata(view: Mapping[str, Any]) -> dict[str, Any]:
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return metadata if isinstance(metadata, dict) else {}


class FormOpener:
    def __init__(self, identity: SlackIdentity, programme: SlackRenderer) -> None:
        self.identity = identity
        self.programme = programme

    def view(self, name: str, user_id: str, metadata: Mapping[str, Any]) -> dict[str, Any]:
        form = FORMS[name]
        person = self.identity.person(user_id)
        r = SlackRenderer(person.locale, person.timezone) if person else self.programme
        return {
            "type": "modal",
            "callback_id": FORM_CALLBACK.format(name=name),
            "title": plain(r.text(Text(form.title))[:TITLE_LIMIT]),
            "submit": plain(r.text(Text("slack.form.submit"))[:TITLE_LIMIT]),
            "close": plain(r.text(Text("slack.form.close"))[:TITLE_LIMIT]),
            "private_metadata": json.dumps(dict(metadata)),
            "blocks": form.inputs(r),
        }

    def open(
        self,
        client: WebClient,
        name: str,
        user_id: str,
        trigger_id: str,
        metadata: Mapping[str, Any],
    ) -> None:
        """views.open must follow the trigger within 3 s: called right after the ack."""
        client.views_open(trigger_id=trigger_id, view=self.view(name, user_id, metadata))
