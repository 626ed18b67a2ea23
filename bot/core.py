"""The core's front door: a person and a command line in, a reply out, one transaction each."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from bot import commands as c
from bot.clock import Clock
from bot.context import Context
from bot.domain import Person
from bot.errors import UserError
from bot.parsing import parse
from bot.ports import UnitOfWorkFactory
from bot.processed import ProcessedIds
from bot.reads import reads_only
from bot.registry import REGISTRY
from bot.replies import Reply
from bot.services import identity
from bot.services.calendars import feed as feed_of
from bot.settings import Settings
from bot.text import clean, inert
from bot.typed import checked, cleaned
from bot.views import Views

log = logging.getLogger(__name__)

# Told of every command: its type name (bounded, never user text), outcome and duration.
CommandObserver = Callable[[str, str, float], None]


def _unobserved(command: str, outcome: str, seconds: float) -> None:
    pass


@dataclass(frozen=True)
class Answer:
    """A command's reply, and who asked as the command left them (`/mentorbot language en` is
    answered in English); `actor` is None when nobody has that id any more. `wrote`: False
    for a command that only read (it queued nothing: no delivery loop needs waking)."""

    reply: Reply
    actor: Person | None
    wrote: bool = True


# A request handled once: `(platform, key)`, remembered in the command's own transaction.
Once = tuple[str, str]


class Core:
    """Platform-neutral: adapters call `run` and render the `Reply` they get back."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        settings: Settings,
        reads: UnitOfWorkFactory | None = None,
    ) -> None:
        self.uow = uow
        self.reads = reads or uow  # units of work that only read: no write lock
        self.clock = clock
        self.settings = settings
        self.observe: CommandObserver = _unobserved  # the composition root sets metrics here
        self.views = Views(self.reads, clock)  # what adapters show, as plain data
        self.processed = ProcessedIds(uow, clock)  # requests already handled (dedupe)

    def calendar_feed(self, token: str) -> bytes | None:
        """The private feed at `/calendar/<token>.ics`; None for a token nobody holds."""
        with self.uow() as uow:
            return feed_of(uow, token, self.clock.now(), self.settings)

    def person_by_email(self, email: str) -> Person | None:
        with self.reads() as uow:
            return uow.people.by_email(email)

    def person(self, person_id: int) -> Person | None:
        with self.reads() as uow:
            return uow.people.get(person_id)

    def identify(self, platform: str, external_id: str) -> Person | None:
        """The roster person behind a chat account, if it is linked."""
        with self.reads() as uow:
            return uow.identities.person_for(platform, external_id)

    def link_by_email(self, platform: str, external_id: str, email: str) -> Person | None:
        """Link a chat account whose platform-verified email is on the roster.

        None when nobody has that email, or when the account is already someone else's (the
        roster gave it to them): only `mentorbot roster unlink` moves an account.
        """
        with self.uow() as uow:
            person = uow.people.by_email(email)
            if person is None or not uow.identities.link(person.id, platform, external_id):
                return None
            uow.commit()
            return person

    def redeem_link_code(self, platform: str, external_id: str, code: str) -> Reply:
        """`/mentorbot link CODE` from an account nobody is linked to yet."""
        with self.uow() as uow:
            code_hash = identity.hash_code(clean(code))
            person_id = uow.identities.use_code(code_hash, self.clock.now())
            person = uow.people.get(person_id) if person_id is not None else None
            if person is None or not uow.identities.link(person.id, platform, external_id):
                return Reply.error("link.bad_code", {})  # rolled back: the code stays unused
            uow.commit()
            return Reply.say("link.done", name=person.name)

    def run_unlinked(self, platform: str, external_id: str, name: str, text: str = "") -> Reply:
        """A command from an account linked to nobody: it may only redeem a link code
        (`/mentorbot link CODE`); anything else is told how to get one. Every adapter's rule."""
        try:
            command = parse(clean(name), clean(text), ZoneInfo(self.settings.timezone))
        except UserError:
            command = None
        if isinstance(command, c.RedeemLinkCode):
            return self.redeem_link_code(platform, external_id, command.code)
        return Reply.say("link.unlinked")

    def run(
        self, person_id: int, name: str, text: str = "", *, platform: str | None = None
    ) -> Reply:
        """Parse `/name text` for this person and execute it; user errors become replies.
        `platform` is whose accounts the text's mentions name (the adapter's own name for it)."""
        name, text = clean(name), clean(text)  # the one place typed text enters the core
        return _reply(self._execute(person_id, lambda zone: parse(name, text, zone), platform))

    def answer(
        self,
        person_id: int,
        line: str | c.Command | Callable[[], c.Command],
        *,
        platform: str | None = None,
        once: Once | None = None,
    ) -> Answer | None:
        """A line (`run_line`) or a typed command (`handle`) in one transaction, answered with
        the actor as the command left them. With `once`, a request already handled (here or
        by another process) is not run again: its answer is None."""
        if isinstance(line, str):
            name, _, text = line.strip().partition(" ")
            name, text = clean(name), clean(text)
            return self._execute(person_id, lambda zone: parse(name, text, zone), platform, once)
        build = line if callable(line) else lambda: line
        return self._execute(person_id, lambda zone: checked(cleaned(build())), platform, once)

    def handle(
        self,
        person_id: int,
        command: c.Command | Callable[[], c.Command],
        *,
        platform: str | None = None,
    ) -> Reply:
        """A typed command (Discord's options, a submitted form): nothing is joined into text
        and parsed again, so what was typed arrives as typed, `|` and ` -- ` included. Given as
        a function, building it may refuse (a forged option) like a parser would."""
        return _reply(self.answer(person_id, command, platform=platform))

    def invoke(
        self,
        person_id: int,
        build: Callable[[ZoneInfo], c.Command],
        *,
        platform: str | None = None,
    ) -> Reply:
        """Typed options made a command by the registry's builder, in the person's zone (a date
        and a time are theirs); checked and cleaned like `handle`, refused like a parser."""
        return _reply(
            self._execute(person_id, lambda zone: checked(cleaned(build(zone))), platform)
        )

    def _execute(
        self,
        person_id: int,
        make: Callable[[ZoneInfo], c.Command],
        platform: str | None,
        once: Once | None = None,
    ) -> Answer | None:
        """One command, one unit of work; counted and logged by its type, never its text."""
        started, kind, outcome = time.perf_counter(), "unparsed", "error"
        writes = self._writes(make)
        try:
            with (self.uow if writes else self.reads)() as uow:
                if once is not None and not self._first_time(uow, once, writes):
                    kind, outcome = "replayed", "skipped"
                    return None
                actor = uow.people.get(person_id)
                if actor is None:
                    outcome = "refused"
                    return Answer(Reply.error("error.unknown_person", {}), None)
                ctx = Context(uow, actor, self.clock.now(), self.settings, platform)
                try:
                    command = make(actor.zone)
                    kind = type(command).__name__
                    reply = REGISTRY.handler(type(command))(ctx, command)
                except UserError as error:
                    outcome = "refused"
                    return Answer(Reply.error(error.key, inert(error.params)), ctx.actor, writes)
                outcome = "refused" if reply.is_error else "ok"
                return Answer(reply, ctx.actor, writes)
        finally:
            if once is not None and outcome != "skipped" and (not writes or outcome != "ok"):
                self.processed.later(*once)  # not committed with the command: remembered soon
            fields = {"command": kind, "person_id": person_id, "outcome": outcome}
            log.info("command %s: %s", kind, outcome, extra=fields)
            self.observe(kind, outcome, time.perf_counter() - started)

    def _writes(self, make: Callable[[ZoneInfo], c.Command]) -> bool:
        """Whether the command may write, known before its transaction opens (its kind does
        not depend on the zone its dates are read in); anything unreadable counts as a write."""
        try:
            return not reads_only(make(ZoneInfo(self.settings.timezone)))
        except Exception:  # refused or broken: the unit of work says so, in the real zone
            return True

    def _first_time(self, uow: Any, once: Once, writes: bool) -> bool:
        """Recorded in this very transaction when it writes (committed with the command's own
        changes, or not at all); a reading one only asks, and the id is remembered after."""
        platform, key = once
        if not writes:
            return not uow.events.seen(platform, key)
        return self.processed.record(uow, platform, key)

    def run_line(self, person_id: int, line: str, *, platform: str | None = None) -> Reply:
        return _reply(self.answer(person_id, line, platform=platform))


def _reply(answer: Answer | None) -> Reply:
    """Without `once` every command is answered."""
    assert answer is not None
    return answer.reply
