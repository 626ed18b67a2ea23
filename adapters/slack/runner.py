"""One Slack action → one core command: who asks, run it, render it for them, send it back."""

from __future__ import annotations

import logging
from collections.abc import Callable

from adapters.bootstrap import App
from adapters.slack.forms import Typed
from adapters.slack.identity import PLATFORM, SlackIdentity
from adapters.slack.render import Block, SlackRenderer, message
from adapters.slack.targets import Background, Target
from bot.commands import Command, PersonRef
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
    ) -> None:
        """Run `/name text` after the ack; `then` runs once the answer is sent."""

        def work() -> None:
            self.run(user_id, line, target, replace=replace, shown_elsewhere=shown_elsewhere)
            if then is not None:
                then()

        self.background.submit(work)

    def run(
        self,
        user_id: str,
        line: str | Typed,
        target: Target,
        *,
        replace: bool = False,
        shown_elsewhere: ShownElsewhere | None = None,
    ) -> Reply:
        """A command line (typed text, a button) or a typed command (a submitted form)."""
        name, _, text = (
            line.strip().lstrip("/").partition(" ") if isinstance(line, str) else ("", "", "")
        )
        try:
            if isinstance(line, str):
                reply, renderer = self.execute(user_id, name, text.strip())
            else:
                reply, renderer = self.execute_typed(user_id, line)
        except Exception:  # a bug or an outage: logged with its traceback, answered with an apology
            log.exception("/%s from Slack user %s failed", name, user_id)
            reply, renderer = Reply.error("error.internal", {}), self.programme_renderer()
        if shown_elsewhere is not None and shown_elsewhere(reply, renderer):
            return reply
        payload = message(reply, renderer)
        payload["blocks"] += self.extras(name, text.strip(), reply, renderer)
        # A refusal is shown next to the picker, which stays usable; an outcome replaces it.
        target.send(payload, replace=replace and not reply.is_error)
        self.on_handled()
        return reply

    def execute(self, user_id: str, name: str, text: str) -> tuple[Reply, SlackRenderer]:
        person = self.identity.person(user_id)
        if person is None:
            return self._unlinked(user_id, name, text)
        if mentions_people(name):
            self.identity.link_mentioned(text)
        reply = self.app.core.run_line(person.id, f"/{name} {text}", platform=PLATFORM)
        # Re-read: `/mentorbot language en` is answered in the language just chosen.
        return reply, self.renderer(self.app.core.person(person.id) or person)

    def execute_typed(self, user_id: str, build: Typed) -> tuple[Reply, SlackRenderer]:
        person = self.identity.person(user_id)
        if person is None:
            return self._unlinked(user_id, "", "")
        try:
            built = build()
        except UserError:  # refused inside the core's unit of work, as a parser refuses
            reply = self.app.core.handle(person.id, build, platform=PLATFORM)
        else:
            self._link_named(built)
            reply = self.app.core.handle(person.id, built, platform=PLATFORM)
        return reply, self.renderer(self.app.core.person(person.id) or person)

    def _link_named(self, command: Command) -> None:
        """The people a typed command names are linked first, as for a typed line (before the
        core's unit of work: linking opens one of its own)."""
        person = getattr(command, "person", None)
        if isinstance(person, PersonRef):
            self.identity.link_mentioned(person.text)

    def _unlinked(self, user_id: str, name: str, text: str) -> tuple[Reply, SlackRenderer]:
        """A stranger: the core says what they may do (redeem a link code, nothing else);
        answered in their language if that just linked them."""
        reply = self.app.core.run_unlinked(PLATFORM, user_id, name, text)
        person = self.app.core.identify(PLATFORM, user_id)  # no second users.info
        if person is not None:
            self.identity.remember(user_id, person)
        return reply, self.renderer(person) if person else self.programme_renderer()

    def renderer(self, person: Person) -> SlackRenderer:
        return SlackRenderer(person.locale, person.timezone)

    def programme_renderer(self) -> SlackRenderer:
        settings = self.app.settings
        return SlackRenderer(settings.locale, settings.timezone)
