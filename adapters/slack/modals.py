"""Forms at run time: open one, read a submission back, and show refusals on the modal itself.

A submitted form is acknowledged with `response_action: errors` when a required field is blank,
or when the core refuses the completed line because of one field (`Form.fields`) quickly enough
for the acknowledgement (Slack waits 3 seconds; `Verdict` waits `FORM_WAIT`). Any other outcome,
or one that comes later, closes the modal and goes where the form was opened from.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from typing import Any

from slack_sdk import WebClient

from adapters.slack.forms import FORM_CALLBACK, FORMS, TITLE_LIMIT
from adapters.slack.identity import SlackIdentity
from adapters.slack.render import Block, SlackRenderer, plain
from bot.replies import Reply, Text

FORM_WAIT = 2.0  # seconds a submission waits for the core before the modal closes regardless
QUOTE_LIMIT = 3000


def submitted_values(view: Mapping[str, Any]) -> dict[str, str]:
    """A view_submission's state, flattened: block id → the value whatever the element.

    Values are stripped; a field left blank (or only spaces) is absent."""
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
            if value and str(value).strip():
                values[block_id] = str(value).strip()
    return values


def completed_line(name: str, view: Mapping[str, Any]) -> str | None:
    """The command line a submitted form stands for; None if the form or a field is missing."""
    form = FORMS.get(name)
    if form is None:
        return None
    metadata = read_metadata(view)
    try:
        return form.line(submitted_values(view), [str(a) for a in metadata.get("args", [])])
    except (KeyError, IndexError):  # a required field: `FormOpener.blank_fields` catches it first
        return None


def read_metadata(view: Mapping[str, Any]) -> dict[str, Any]:
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return metadata if isinstance(metadata, dict) else {}


def quoted(body: Mapping[str, Any]) -> Block | None:
    """The first line of the message whose button was pressed, as it was shown (plain_text or
    mrkdwn). Slack sends the message back with the click, except for ephemeral messages."""
    for block in (body.get("message") or {}).get("blocks") or []:
        text = block.get("text") if block.get("type") == "section" else None
        if isinstance(text, dict) and text.get("text"):
            return {"type": "section", "text": {**text, "text": str(text["text"])[:QUOTE_LIMIT]}}
    return None


class FormOpener:
    def __init__(self, identity: SlackIdentity, programme: SlackRenderer) -> None:
        self.identity = identity
        self.programme = programme

    def renderer(self, user_id: str) -> SlackRenderer:
        person = self.identity.person(user_id)
        return SlackRenderer(person.locale, person.timezone) if person else self.programme

    def view(
        self,
        name: str,
        user_id: str,
        metadata: Mapping[str, Any],
        quote: Block | None = None,
    ) -> dict[str, Any]:
        form = FORMS[name]
        r = self.renderer(user_id)
        blocks = form.inputs(r)
        if quote is not None and form.quote:
            blocks = [quote, *blocks]
        return {
            "type": "modal",
            "callback_id": FORM_CALLBACK.format(name=name),
            "title": plain(r.text(Text(form.title))[:TITLE_LIMIT]),
            "submit": plain(r.text(Text("slack.form.submit"))[:TITLE_LIMIT]),
            "close": plain(r.text(Text("slack.form.close"))[:TITLE_LIMIT]),
            "private_metadata": json.dumps(dict(metadata)),
            "blocks": blocks,
        }

    def open(
        self,
        client: WebClient,
        name: str,
        user_id: str,
        trigger_id: str,
        metadata: Mapping[str, Any],
        quote: Block | None = None,
    ) -> None:
        """views.open must follow the trigger within 3 s: called right after the ack."""
        view = self.view(name, user_id, metadata, quote)
        client.views_open(trigger_id=trigger_id, view=view)

    def blank_fields(self, name: str, user_id: str, view: Mapping[str, Any]) -> dict[str, str]:
        """Required fields left blank (Slack accepts spaces): block id → what to do about it."""
        values = submitted_values(view)
        required = [b["block_id"] for b in FORMS[name].inputs(self.programme) if not b["optional"]]
        blank = [block_id for block_id in required if block_id not in values]
        if not blank:
            return {}
        message = self.renderer(user_id).text(Text("slack.form.required"))
        return {block_id: message for block_id in blank}


class Verdict:
    """Between a submitted form's work (on the background pool) and its acknowledgement.

    The runner asks `shown_on_form` before answering: a refusal about one of the form's fields
    is kept for the acknowledgement, if that has not gone yet, and nothing else is sent.
    """

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields = fields
        self._lock = threading.Lock()
        self._decided = threading.Event()
        self._errors: dict[str, str] = {}
        self._acknowledged = False

    def shown_on_form(self, reply: Reply, renderer: SlackRenderer) -> bool:
        block = self.fields.get(reply.lines[0].key) if reply.is_error and reply.lines else None
        with self._lock:
            shown = block is not None and not self._acknowledged
            if shown:
                self._errors = {str(block): renderer.text(reply.lines[0])}
            self._decided.set()
        return shown

    def errors(self, timeout: float = FORM_WAIT) -> dict[str, str]:
        """Wait for the outcome (at most `timeout`); after this, nothing more is kept."""
        self._decided.wait(timeout)
        with self._lock:
            self._acknowledged = True
            return dict(self._errors)
