"""Bolt listeners: each acknowledges first, then hands the work to the background pool.

Every payload becomes a command run as the Slack user who acted: a slash command is its own
line, a button carries an action (encoded by the core, which reads it back), a submitted form
builds one from its fields, a direct message is `/ask`.
The one exception to "acknowledge first": a submitted form waits (at most `FORM_WAIT`) for the
core, so that a refusal about one of its fields shows on the modal, which stays open. Each
payload is read (`shapes`) before the ack: a malformed one never gets past it, so nothing after
an ack can raise and leave Bolt without an answer.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import slack_bolt
from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from adapters.slack.dedupe import ONCE
from adapters.slack.forms import FORMS, form_for, form_for_action
from adapters.slack.home import HomeTab
from adapters.slack.links import LINK_CLICKED
from adapters.slack.modals import (
    FormOpener,
    Verdict,
    completed_line,
    quoted,
    read_metadata,
    reply_url,
)
from adapters.slack.render import Block, typed
from adapters.slack.runner import CommandRunner
from adapters.slack.shapes import Click, DirectMessageEvent, SlashCommand, Submission
from adapters.slack.targets import DirectMessage, ResponseUrl, Target
from bot import actions

log = logging.getLogger(__name__)

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
        bolt.action(LINK_CLICKED)(lambda ack: ack())  # a join button opens its URL by itself
        bolt.view(FORM_SUBMITTED)(self.form_submitted)
        bolt.event("message")(self.direct_message)
        bolt.event("app_home_opened")(self.home_opened)

    def slash_command(
        self, ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        """`/name text` → the same command in the core (or the form that completes it)."""
        command = SlashCommand.read(body)  # before the ack: a malformed one is answered 400
        ack()
        line = f"/{command.name} {typed(command.text).strip()}".strip()
        opening = Opening(command.user_id, command.trigger_id, command.response_url)
        if not self._open_form(client, form_for(line), opening):
            target = ResponseUrl(command.response_url)
            self.runner.later(command.user_id, line, target, once=context.get(ONCE))

    def choice_clicked(
        self, ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        """A button carries its action: run it as whoever clicked, not who it was for. The core
        reads the value (an older button's command line too) and refuses one it cannot read."""
        click = Click.read(body)
        ack()
        user_id, value, url = click.user_id, click.value, click.response_url
        opening = Opening(user_id, click.trigger_id, url, click.in_view, quoted(click.message))
        if self._open_form(client, _form_for_button(value), opening):
            return
        line = lambda: actions.decode(value)  # noqa: E731 (built in the core's unit of work)
        if click.in_view:  # the App Home: answer by DM, refresh the tab
            self.runner.later(
                user_id,
                line,
                DirectMessage(client, user_id),
                then=lambda: self.home.publish(client, user_id),
                once=context.get(ONCE),
            )
            return
        # Our own ephemeral picker is replaced by its outcome; a channel post stays as it is.
        target = ResponseUrl(url) if url else DirectMessage(client, user_id)
        self.runner.later(user_id, line, target, replace=click.ephemeral, once=context.get(ONCE))

    def form_submitted(
        self, ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        """Blank fields and the core's refusals about a field keep the modal open, marked;
        otherwise it closes and the outcome goes where the form was opened from."""
        submission = Submission.read(body)
        match = FORM_SUBMITTED.match(submission.callback_id)
        name = match[1] if match and match[1] in FORMS else None
        if name is None:
            ack()
            return
        user_id, values = submission.user_id, submission.values
        metadata = read_metadata(submission.metadata)
        blank = self.forms.blank_fields(name, user_id, values)
        line = None if blank else completed_line(name, values, metadata)
        if line is None:
            _acknowledge(ack, blank)
            return
        url = reply_url(metadata)
        target: Target = ResponseUrl(url) if url else DirectMessage(client, user_id)
        home = (lambda: self.home.publish(client, user_id)) if metadata.get("home") else None
        verdict = Verdict(FORMS[name].fields)
        shown = verdict.shown_on_form
        once = context.get(ONCE)
        self.runner.later(user_id, line, target, then=home, shown_elsewhere=shown, once=once)
        _acknowledge(ack, verdict.errors())

    def direct_message(
        self, event: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        """A message in the bot's DM is `/ask`; edits, bot posts and channel chatter are not."""
        message = DirectMessageEvent.read(event)
        text = typed(message.text).strip() if message else ""
        if message is None or not text:
            return
        target = DirectMessage(client, message.channel)
        line = f"/{DM_COMMAND} {text}"
        self.runner.later(message.user_id, line, target, once=context.get(ONCE))

    def home_opened(self, event: dict[str, Any], client: WebClient) -> None:
        user_id = event.get("user")
        if event.get("tab", "home") != "home" or not isinstance(user_id, str) or not user_id:
            return
        if not self.runner.background.submit(lambda: self.home.publish(client, user_id)):
            log.warning("Slack work queue full: App Home of %s not refreshed", user_id)

    def _open_form(
        self, client: WebClient, found: tuple[str, list[str]] | None, opening: Opening
    ) -> bool:
        """Open this form, if there is one (the trigger lasts 3 s)."""
        if found is None:
            return False
        name, args = found
        metadata: dict[str, Any] = {"args": args}
        if opening.response_url:
            metadata["response_url"] = opening.response_url
        if opening.home:
            metadata["home"] = True  # opened from the App Home: refresh it once submitted
        user_id, trigger, quote = opening.user_id, opening.trigger_id, opening.quote
        if not self.runner.background.submit(
            lambda: self.forms.open(client, name, user_id, trigger, metadata, quote)
        ):
            url = opening.response_url
            self.runner.busy(user_id, ResponseUrl(url) if url else DirectMessage(client, user_id))
        return True


@dataclass(frozen=True)
class Opening:
    """Where a form would open from: who, the trigger Slack gave, where to answer."""

    user_id: str
    trigger_id: str
    response_url: str | None
    home: bool = False
    quote: Block | None = None


def _form_for_button(value: str) -> tuple[str, list[str]] | None:
    """The form a button opens: its action's, or one of this adapter's own form buttons (a
    command line such as `/availability add`, see `forms.EXTRA_BUTTONS`)."""
    return form_for_action(actions.read(value)) or (
        form_for(value) if value.startswith("/") else None
    )


def _acknowledge(ack: Ack, errors: dict[str, str]) -> None:
    """Close the modal, or keep it open with these fields marked."""
    if errors:
        ack(response_action="errors", errors=errors)
    else:
        ack()
