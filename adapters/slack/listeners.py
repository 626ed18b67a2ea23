"""Bolt listeners: each acknowledges first, then hands the work to the background pool.

Every payload becomes a command line run as the Slack user who acted: a slash command is its
own line, a button carries one, a submitted form completes one, a direct message is `/ask`.
The one exception to "acknowledge first": a submitted form waits (at most `FORM_WAIT`) for the
core, so that a refusal about one of its fields shows on the modal, which stays open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import slack_bolt
from slack_bolt import Ack
from slack_sdk import WebClient

from adapters.slack.forms import FORMS, form_for
from adapters.slack.home import HomeTab
from adapters.slack.modals import FormOpener, Verdict, completed_line, quoted, read_metadata
from adapters.slack.render import typed
from adapters.slack.runner import CommandRunner
from adapters.slack.targets import DirectMessage, ResponseUrl, Target

SLASH = re.compile(r"^/")
CHOICE = re.compile(r"^mentorbot_choice_")
FORM_SUBMITTED = re.compile(r"^mentorbot_form_(\w+)$")
DM_COMMAND = "ask"


@dataclass(frozen=True)
class Listeners:
    runner: CommandRunner
    forms: FormOpener
    home: HomeTab

    def register(self, bolt: slack_bolt.App) -> None:
        bolt.command(SLASH)(self.slash_command)
        bolt.action(CHOICE)(self.choice_clicked)
        bolt.view(FORM_SUBMITTED)(self.form_submitted)
        bolt.event("message")(self.direct_message)
        bolt.event("app_home_opened")(self.home_opened)

    def slash_command(self, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        """`/name text` → the same command in the core (or the form that completes it)."""
        ack()
        name = str(body["command"]).lstrip("/").lower()
        text = typed(str(body.get("text") or "")).strip()
        line = f"/{name} {text}".strip()
        url = str(body["response_url"])
        if not self._open_form(client, line, body, url):
            self.runner.later(str(body["user_id"]), line, ResponseUrl(url))

    def choice_clicked(self, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        """A button carries its command line: run it as whoever clicked, not who it was for."""
        ack()
        user_id = str(body["user"]["id"])
        line = str(body["actions"][0].get("value") or "")
        url = body.get("response_url")
        if self._open_form(client, line, body, str(url) if url else None):
            return
        container = body.get("container") or {}
        if container.get("type") == "view":  # the App Home: answer by DM, refresh the tab
            self.runner.later(
                user_id,
                line,
                DirectMessage(client, user_id),
                then=lambda: self.home.publish(client, user_id),
            )
            return
        # Our own ephemeral picker is replaced by its outcome; a channel post stays as it is.
        target = ResponseUrl(str(url)) if url else DirectMessage(client, user_id)
        self.runner.later(user_id, line, target, replace=bool(container.get("is_ephemeral")))

    def form_submitted(self, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        """Blank fields and the core's refusals about a field keep the modal open, marked;
        otherwise it closes and the outcome goes where the form was opened from."""
        view = body["view"]
        match = FORM_SUBMITTED.match(str(view.get("callback_id")))
        name = match[1] if match and match[1] in FORMS else None
        if name is None:
            ack()
            return
        user_id = str(body["user"]["id"])
        blank = self.forms.blank_fields(name, user_id, view)
        line = None if blank else completed_line(name, view)
        if line is None:
            _acknowledge(ack, blank)
            return
        metadata = read_metadata(view)
        url = metadata.get("response_url")
        target: Target = ResponseUrl(str(url)) if url else DirectMessage(client, user_id)
        home = (lambda: self.home.publish(client, user_id)) if metadata.get("home") else None
        verdict = Verdict(FORMS[name].fields)
        self.runner.later(user_id, line, target, then=home, shown_elsewhere=verdict.shown_on_form)
        _acknowledge(ack, verdict.errors())

    def direct_message(self, event: dict[str, Any], client: WebClient) -> None:
        """A message in the bot's DM is `/ask`; edits, bot posts and channel chatter are not."""
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        text = typed(str(event.get("text") or "")).strip()
        if not text or not event.get("user"):
            return
        target = DirectMessage(client, str(event["channel"]))
        self.runner.later(str(event["user"]), f"/{DM_COMMAND} {text}", target)

    def home_opened(self, event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        user_id = str(event["user"])
        self.runner.background.submit(lambda: self.home.publish(client, user_id))

    def _open_form(
        self, client: WebClient, line: str, body: dict[str, Any], response_url: str | None
    ) -> bool:
        """Open the form that completes `line`, if there is one (the trigger lasts 3 s)."""
        found = form_for(line)
        if found is None:
            return False
        name, args = found
        user_id = str(body.get("user_id") or body["user"]["id"])
        trigger = str(body["trigger_id"])
        metadata: dict[str, Any] = {"args": args}
        if response_url:
            metadata["response_url"] = response_url
        if (body.get("container") or {}).get("type") == "view":
            metadata["home"] = True  # opened from the App Home: refresh it once submitted
        quote = quoted(body)
        self.runner.background.submit(
            lambda: self.forms.open(client, name, user_id, trigger, metadata, quote)
        )
        return True


def _acknowledge(ack: Ack, errors: dict[str, str]) -> None:
    """Close the modal, or keep it open with these fields marked."""
    if errors:
        ack(response_action="errors", errors=errors)
    else:
        ack()
