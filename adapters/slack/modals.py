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

from adapters.slack.forms import FORM_CALLBACK, FORMS, TITLE_LIMIT, Typed, Values
from adapters.slack.identity import SlackIdentity
from adapters.slack.render import Block, SlackRenderer, plain
from adapters.slack.shapes import URL_SCHEMES
from bot.replies import Reply, Text

FORM_WAIT = 2.0  # seconds a submission waits for the core before the modal closes regardless
QUOTE_LIMIT = 3000
TEXT_TYPES = ("plain_text", "mrkdwn")


def completed_line(name: str, values: Values, metadata: Mapping[str, Any]) -> Typed | None:
    """The command a submitted form stands for (built later, in the core's unit of work);
    None if the form or a field is missing."""
    form = FORMS.get(name)
    if form is None:
        return None
    try:
        return form.command(values, form_args(metadata))
    except (KeyError, IndexError):  # a required field: `FormOpener.blank_fields` catches it first
        return None


def read_metadata(text: str) -> dict[str, Any]:
    """The metadata we gave the view (Slack sends it back as it was, or as someone forged it)."""
    try:
        metadata = json.loads(text or "{}")
    except ValueError:
        return {}
    return metadata if isinstance(metadata, dict) else {}


def form_args(metadata: Mapping[str, Any]) -> list[str]:
    """What the command line already said (`/reply 12` → ["12"]); strings only."""
    args = metadata.get("args")
    return [a for a in args if isinstance(a, str)] if isinstance(args, list) else []


def reply_url(metadata: Mapping[str, Any]) -> str | None:
    url = metadata.get("response_url")
    return url if isinstance(url, str) and url.startswith(URL_SCHEMES) else None


def quoted(message: Mapping[str, Any]) -> Block | None:
    """The first line of the message whose button was pressed, as it was shown (plain_text or
    mrkdwn). Slack sends the message back with the click, except for ephemeral messages."""
    blocks = message.get("blocks")
    for block in blocks if isinstance(blocks, list) else []:
        section = isinstance(block, dict) and block.get("type") == "section"
        text = block.get("text") if section else None
        if isinstance(text, dict) and text.get("type") in TEXT_TYPES and text.get("text"):
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

    def blank_fields(self, name: str, user_id: str, values: Values) -> dict[str, str]:
        """Required fields left blank (Slack accepts spaces): block id → what to do about it."""
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
