"""Read a command per line, print the reply in the person's language and zone, then deliver."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from adapters.bootstrap import App
from adapters.console.files import write_files
from bot.action_lines import command_line
from bot.channels import CONSOLE, Reach, person_routes
from bot.commands import Command
from bot.domain import Notification, Person, Role
from bot.i18n import Renderer
from bot.replies import Choice, Reply, Text
from bot.text import ascii_int

log = logging.getLogger(__name__)
ASK = "ask"  # what a line without a leading slash is


class ConsoleDeliverer:
    """Prints the notifications of one console session (its person's, and the advisors')."""

    def __init__(
        self, out: TextIO, default_locale: str, default_zone: str, files_dir: str = "."
    ) -> None:
        self.out = out
        self.default = Renderer(default_locale, default_zone)
        self.files_dir = Path(files_dir)

    def deliver(self, recipient: Person | None, notification: Notification) -> str | None:
        renderer = Renderer(recipient.locale, recipient.timezone) if recipient else self.default
        to = recipient.name if recipient else renderer.text(Text("console.advisors"))
        if notification.updates:
            to += " " + renderer.text(Text("console.updated"))
        message = renderer.text(Text(notification.key, notification.params))
        print(f"  ✉ → {to}: {message}", file=self.out, flush=True)
        for path in write_files(self.files_dir, notification.attachments):
            print(f"      {renderer.text(Text('console.file', {'path': path}))}", file=self.out)
        for choice in notification.choices:
            line = command_line(choice.action)  # what to type: a console has no buttons
            print(f"      [{renderer.text(choice.label)}: {line}]", file=self.out)
        return None


def console_reach(app: App, person: Person) -> Reach:
    """Only what is this person's to read: their own messages when no chat platform reaches
    people (the demo's case), and for an advisor the advisors' channel when no platform has one.
    Someone else's messages stay queued for them (issue 11: a console consumed them)."""
    advisor = person.has(Role.ADVISOR)
    return Reach(
        platforms=(CONSOLE,),
        channels=("advisors:console",) if advisor else (),
        routes=person_routes(app.settings),
        person_id=person.id,
    )


class ConsoleSession:
    def __init__(self, app: App, person: Person, out: TextIO) -> None:
        self.app = app
        self.person = person
        self.out = out
        self.choices: tuple[Choice, ...] = ()
        self.worker = app.outbox_worker(
            ConsoleDeliverer(
                out, app.settings.locale, app.settings.timezone, app.settings.console_files_dir
            ),
            reach=console_reach(app, person),
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
            action = self._chosen(number)
            if action is not None:
                self._run(lambda: self.app.core.handle(self.person.id, action), repr(action))
            return
        if not line.startswith("/"):  # plain text is a question, as a DM on Slack and Discord
            self._run(lambda: self.app.core.run(self.person.id, ASK, line), "ask")
            return
        self._run(lambda: self.app.core.run_line(self.person.id, line), repr(line))

    def _run(self, work: Callable[[], Reply], what: str) -> None:
        """A typed line or a picked choice's action; its reply shown, then what it queued."""
        try:
            reply = work()
        except Exception:
            log.exception("console command failed: %s", what)
            reply = Reply.error("error.internal", {})
        self.person = self.app.core.person(self.person.id) or self.person
        self.show(reply)
        self.worker.drain()

    def _chosen(self, number: int) -> Command | None:
        if 1 <= number <= len(self.choices):
            return self.choices[number - 1].action
        self.say(self.renderer.text(Text("console.no_such_choice", {"number": number})))
        return None

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
