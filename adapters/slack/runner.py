"""One Slack action → one core command: who asks, run it, render it for them, send it back.

A known Slack user's command is one transaction: who they are is this process's memory, the
request's id is recorded in the command's own unit of work (so a replay, here or on another
replica, runs nothing), and the reply is rendered for the person as the command left them.
When the work queue is full the person is told at once, in their language, to try again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from adapters.bootstrap import App
from adapters.slack.forms import Typed
from adapters.slack.identity import PLATFORM, SlackIdentity
from adapters.slack.render import Block, SlackRenderer, message
from adapters.slack.targets import Background, Target
from bot.commands import Command, PersonRef
from bot.core import Answer
from bot.domain import Person
from bot.errors import UserError
from bot.registry import REGISTRY
from bot.replies import Reply

log = logging.getLogger(__name__)


def mentions_people(name: str) -> bool:
    """Whether a command's arguments may mention people (`<@U123>`), resolved by the core:
    the registry's commands with a PERSON option."""
    spec = REGISTRY.find(name)
    return spec is not None and spec.takes_person


Extras = Callable[[str, str, Reply, SlackRenderer], list[Block]]
# Asked before answering: True when the reply was shown elsewhere (on the submitted modal).
ShownElsewhere = Callable[[Reply, SlackRenderer], bool]
# The reply, how to render it, and whether the command may have queued messages (a read did
# not: waking the delivery loops after each read cost a claim transaction per command).
Rendered = tuple[Reply, SlackRenderer, bool]
BUSY = Reply.error("slack.busy", {})


def _no_extras(name: str, text: str, reply: Reply, renderer: SlackRenderer) -> list[Block]:
    return []


class CommandRunner:
    def __init__(
        self,
        app: App,
        identity: SlackIdentity,
        background: Background,
        *,
        on_handled: Callable[[], None] = lambda: None,
        extras: Extras = _no_extras,
    ) -> None:
        self.app = app
        self.identity = identity
        self.background = background
        self.on_handled = on_handled
        self.extras = extras

    def later(
        self,
        user_id: str,
        line: str | Typed,
        target: Target,
        *,
        replace: bool = False,
        then: Callable[[], None] | None = None,
        shown_elsewhere: ShownElsewhere | None = None,
        once: str | None = None,
    ) -> bool:
        """Run `/name text` after the ack; `then` runs once the answer is sent. `once`: the
        request's id, so that it runs once. False when the queue was full: the person was
        told so at once."""

        def work() -> None:
            answered = self.run(
                user_id, line, target, replace=replace, shown_elsewhere=shown_elsewhere, once=once
            )
            if then is not None and answered is not None:
                then()

        if self.background.submit(work):
            return True
        self.busy(user_id, target, shown_elsewhere)
        return False

    def busy(
        self, user_id: str, target: Target, shown_elsewhere: ShownElsewhere | None = None
    ) -> None:
        """Tell the person "busy, try again in a moment", in their language if this process
        knows them (asking the database would queue behind the very work that is too much)."""
        person = self.identity.cached(user_id)
        renderer = self.renderer(person) if person else self.programme_renderer()
        if shown_elsewhere is not None and shown_elsewhere(BUSY, renderer):
            return
        log.warning(
            "Slack work queue full (%s pending): user %s told to retry",
            self.background.limit,
            user_id,
        )
        target.send(message(BUSY, renderer))

    def run(
        self,
        user_id: str,
        line: str | Typed,
        target: Target,
        *,
        replace: bool = False,
        shown_elsewhere: ShownElsewhere | None = None,
        once: str | None = None,
    ) -> Reply | None:
        """A command line (typed text, a button) or a typed command (a submitted form); None
        when this very request was handled already (nothing is sent)."""
        name, _, text = (
            line.strip().lstrip("/").partition(" ") if isinstance(line, str) else ("", "", "")
        )
        try:
            if isinstance(line, str):
                done = self.execute(user_id, name, text.strip(), once)
            else:
                done = self.execute_typed(user_id, line, once)
        except Exception:  # a bug or an outage: logged with its traceback, answered with an apology
            log.exception("/%s from Slack user %s failed", name, user_id)
            done = Reply.error("error.internal", {}), self.programme_renderer(), False
        if done is None:
            log.info("Slack request from %s already handled: skipped", user_id)
            return None
        reply, renderer, wrote = done
        if shown_elsewhere is not None and shown_elsewhere(reply, renderer):
            return reply
        payload = message(reply, renderer)
        payload["blocks"] += self.extras(name, text.strip(), reply, renderer)
        # A refusal is shown next to the picker, which stays usable; an outcome replaces it.
        target.send(payload, replace=replace and not reply.is_error)
        if wrote:
            self.on_handled()
        return reply

    def execute(
        self, user_id: str, name: str, text: str, once: str | None = None
    ) -> Rendered | None:
        person = self.identity.person(user_id)
        if person is None:
            return self._unlinked(user_id, name, text, once)
        if mentions_people(name):
            self.identity.link_mentioned(text)
        line = f"/{name} {text}"
        return self._answered(
            user_id, self.app.core.answer(person.id, line, platform=PLATFORM, once=self._once(once))
        )

    def execute_typed(self, user_id: str, build: Typed, once: str | None = None) -> Rendered | None:
        person = self.identity.person(user_id)
        if person is None:
            return self._unlinked(user_id, "", "", once)
        try:
            built = build()
        except UserError:  # refused inside the core's unit of work, as a parser refuses
            command: Command | Typed = build
        else:
            self._link_named(built)
            command = built
        answer = self.app.core.answer(person.id, command, platform=PLATFORM, once=self._once(once))
        return self._answered(user_id, answer)

    def _once(self, key: str | None) -> tuple[str, str] | None:
        return (PLATFORM, key) if key else None

    def _answered(self, user_id: str, answer: Answer | None) -> Rendered | None:
        """Rendered for the person as the command left them (`/mentorbot language en` is
        answered in English); they are remembered so, for their next command."""
        if answer is None:
            return None
        if answer.actor is None:  # erased since we met them
            self.identity.forget(user_id)
            return answer.reply, self.programme_renderer(), answer.wrote
        self.identity.remember(user_id, answer.actor)
        return answer.reply, self.renderer(answer.actor), answer.wrote

    def _link_named(self, command: Command) -> None:
        """The people a typed command names are linked first, as for a typed line (before the
        core's unit of work: linking opens one of its own)."""
        person = getattr(command, "person", None)
        if isinstance(person, PersonRef):
            self.identity.link_mentioned(person.text)

    def _unlinked(self, user_id: str, name: str, text: str, once: str | None) -> Rendered | None:
        """A stranger: the core says what they may do (redeem a link code, nothing else);
        answered in their language if that just linked them."""
        if once and not self.app.core.processed.first_time(PLATFORM, once):
            return None
        reply = self.app.core.run_unlinked(PLATFORM, user_id, name, text)
        person = self.app.core.identify(PLATFORM, user_id)  # no second users.info
        if person is not None:
            self.identity.remember(user_id, person)
        return reply, self.renderer(person) if person else self.programme_renderer(), True

    def renderer(self, person: Person) -> SlackRenderer:
        return SlackRenderer(person.locale, person.timezone)

    def programme_renderer(self) -> SlackRenderer:
        settings = self.app.settings
        return SlackRenderer(settings.locale, settings.timezone)
