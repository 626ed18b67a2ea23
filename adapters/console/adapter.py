"""Read a command per line, print the reply in the person's language and zone, then deliver."""

from __future__ import annotations

import logging
from typing import TextIO

from adapters.bootstrap import App
from bot.domain import Notification, Person
from bot.i18n import Renderer
from bot.replies import Choice, Reply, Text
from bot.text import ascii_int

log = logging.getLogger(__name__)


class ConsoleDeliverer:
    """Prints every notification, whoever it is for: the console shows the whole programme."""

    def __init__(self, out: TextIO, default_locale: str, default_zone: str) -> None:
        self.out = out
        self.default = Renderer(default_locale, default_zone)

    def deliver(self, recipient: Person | None, notification: Notification) -> str | None:
        renderer = Renderer(recipient.locale, recipient.timezone) if recipient else self.default
        to = recipient.name if recipient else renderer.text(Text("console.advisors"))
        if notification.updates:
            to += " " + renderer.text(Text("console.updated"))
        message = renderer.text(Text(notification.key, notification.params))
        print(f"  ✉ → {to}: {message}", file=self.out, flush=True)
        for choice in notification.choices:
            print(f"      [{renderer.text(choice.label)}: {choice.command}]", file=self.out)
        return None


class ConsoleSession:
    def __init__(self, app: App, person: Person, out: TextIO) -> None:
        self.app = app
        self.person = person
        self.out = out
        self.choices: tuple[Choice, ...] = ()
        # The console delivers what no chat platform would: people not linked on one, and the
        # advisors' channel when none is configured (the demo's case).
        self.worker = app.outbox_worker(
            ConsoleDeliverer(out, app.settings.locale, app.settings.timezone),
            platforms=("console",),
        )

    @property
    def renderer(self) -> Renderer:
        return Renderer(self.person.locale, self.person.timezone)

    def say(self, line: str) -> None:
        print(line, file=self.out, flush=True)

    def handle(self, line: str) -> None:
        line = line.strip()
        if not line:
            return
        if (number := ascii_int(line)) is not None:  # `²`.isdigit() is true; int('²') fails
            line = self._chosen(number)
            if not line:
                return
        if not line.startswith("/"):
            line = "/" + line
        try:
            reply = self.app.core.run_line(self.person.id, line)
        except Exception:
            log.exception("console command failed: %r", line)
            reply = Reply.error("error.internal", {})
        self.person = self.app.core.person(self.person.id) or self.person
        self.show(reply)
        self.worker.drain()

    def _chosen(self, number: int) -> str:
        if 1 <= number <= len(self.choices):
            return self.choices[number - 1].command
        self.say(self.renderer.text(Text("console.no_such_choice", {"number": number})))
        return ""

    def show(self, reply: Reply) -> None:
        renderer = self.renderer
        prefix = "! " if reply.is_error else ""
        for text in renderer.reply(reply):
            self.say(prefix + text)
        self.choices = reply.choices
        for number, choice in enumerate(reply.choices, start=1):
            self.say(f"  [{number}] {renderer.text(choice.label)}")


def run_console(app: App, person: Person, stdin: TextIO, stdout: TextIO) -> None:
    session = ConsoleSession(app, person, stdout)
    interactive = stdin.isatty()
    session.say(
        session.renderer.text(
            Text("console.welcome", {"name": person.name, "zone": person.timezone})
        )
    )
    session.worker.drain()
    while True:
        if interactive:
            print("> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            break
        if not interactive:
            session.say(f"> {line.rstrip()}")
        session.handle(line)
    if interactive:
        session.say(session.renderer.text(Text("console.bye")))
