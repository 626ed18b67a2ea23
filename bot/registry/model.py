"""What a command is, declared once: its names, who runs it, its typed options, its text syntax,
its handlers, its help and its form. Every adapter builds its own surface from these.

A handler is declared as the function, or (every service's) as its name, `"booking.book"` for
`bot.services.booking.book`: the module is imported when the command is first handled (or when
a serving process warms it, after /healthz answers), so declaring every command imports no
service. tests/test_registry_handlers.py resolves each name.

Catalogue keys are derived from `key`: `discord.{key}.name` and `discord.{key}.desc` name and
describe a command (French and English; Discord shows both, Slack's manifest joins the
descriptions), `discord.opt_{key}.name|desc` an option.
"""

from __future__ import annotations

import enum
import importlib
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from bot import commands as c
from bot.context import Context
from bot.domain import Role
from bot.errors import UserError
from bot.registry.values import Values
from bot.replies import Reply
from bot.timeparse import fold
from bot.vocabulary import Vocabulary

TextParser = Callable[[str, ZoneInfo], c.Command]  # the arguments as typed → a command
Builder = Callable[[Values], c.Command]  # typed options (Discord's, a form's) → a command
Handler = Callable[[Context, Any], Reply]
Handles = Mapping[type, Handler | str]  # a str: "module.function" of SERVICES
SERVICES = "bot.services"
EVERYONE: frozenset[Role] = frozenset()
STUDENT, MENTOR = frozenset({Role.STUDENT}), frozenset({Role.MENTOR})
VALIDATOR, ADVISOR = frozenset({Role.VALIDATOR}), frozenset({Role.ADVISOR})


class Kind(enum.Enum):
    """What an option holds; each adapter picks its widget (Discord option type, Slack input)."""

    TEXT = "text"
    LONG_TEXT = "long text"  # several lines (notes, answers)
    INT = "int"  # a number: a session, a question, an alert
    DATE = "date"  # YYYY-MM-DD
    TIME = "time"  # HH:MM
    PERSON = "person"  # a person picked (a mention, or a user option)
    CHOICE = "choice"  # one term of a vocabulary
    BOOL = "bool"


@dataclass(frozen=True)
class Option:
    name: str  # its name in English: Discord's option name, a form's field id
    kind: Kind
    key: str = ""  # catalogue stem for its name (`discord.opt_{key}.name`); default `name`
    describe: str = ""  # catalogue stem for its description, when not the name's
    required: bool = False
    vocabulary: Vocabulary | None = None
    suggest: str | None = None  # what adapters suggest while it is typed (autocomplete)
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None

    @property
    def name_key(self) -> str:
        return f"discord.opt_{self.key or self.name}.name"

    @property
    def desc_key(self) -> str:
        return f"discord.opt_{self.describe or self.key or self.name}.desc"


@dataclass(frozen=True)
class Help:
    """One line of `/mentorbot help`, for people with one of these roles (none: everyone)."""

    key: str
    roles: frozenset[Role] = EVERYONE


@dataclass(frozen=True)
class Field:
    """One field of a form: the option it fills (its kind, vocabulary and limits)."""

    option: str
    id: str = ""  # its id on the form (Slack's block id) when not the option's name
    required: bool | None = None  # None: as the option is
    menu: Vocabulary | None = None  # a menu of this vocabulary (confidence levels)
    max_length: int | None = None  # None: the option's

    @property
    def block(self) -> str:
        return self.id or self.option


@dataclass(frozen=True)
class Form:
    """The modal that completes a command: typed bare (`/escalate`), or from a button whose
    action lacks its text (a reply, a resolution). Its submission is read as typed options
    by the command's own builder. Words are the adapters': `slack.{key}.title`,
    `slack.{key}.{field}`, `discord.{key}_form_title`."""

    name: str  # its id on the platforms (`mentorbot_form_{name}`)
    fields: tuple[Field, ...]
    carried: tuple[str, ...] = ()  # options the opening already holds (the question's number)
    refusals: Mapping[str, str] = field(default_factory=dict)  # error key -> field's block
    quote: bool = False  # show the message whose button opened it
    key: str = ""  # catalogue stem; default `name`

    @property
    def stem(self) -> str:
        return self.key or self.name


@dataclass(frozen=True)
class Action:
    """A subcommand (`/alerts ack N`): the word that names it, typed options, syntax, handlers."""

    name: str
    key: str  # catalogue stem: `alerts_ack`
    parse: TextParser  # the words after the subcommand's
    build: Builder | None = None  # None: not offered as a Discord subcommand
    options: tuple[Option, ...] = ()
    aliases: tuple[str, ...] = ()  # other words for it, French first
    handles: Handles = field(default_factory=dict)
    form: Form | None = None

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Spec:
    """One command. With `actions`, its first word picks one; `parse` reads what no action
    claims (the default listing), or refuses."""

    name: str
    parse: TextParser
    roles: frozenset[Role] = EVERYONE  # who it is for (the services decide who may)
    handles: Handles = field(default_factory=dict)
    build: Builder | None = None  # None with no actions: not a Discord command
    options: tuple[Option, ...] = ()
    actions: tuple[Action, ...] = ()
    help: tuple[Help, ...] = ()
    usage: str = ""  # Slack's usage hint: the syntax, in words both languages accept
    slack: bool = True  # a slash command of its own in the Slack manifest
    escape: bool | None = None  # Slack's should_escape; default: it takes a PERSON
    key: str = ""  # catalogue stem; default `name`
    form: Form | None = None

    @property
    def stem(self) -> str:
        return self.key or self.name

    @property
    def on_discord(self) -> bool:
        return self.build is not None or any(a.build is not None for a in self.actions)

    def all_options(self) -> Iterator[Option]:
        yield from self.options
        for action in self.actions:
            yield from action.options

    @property
    def takes_person(self) -> bool:
        return any(option.kind is Kind.PERSON for option in self.all_options())

    @property
    def should_escape(self) -> bool:
        return self.takes_person if self.escape is None else self.escape

    def action(self, word: str) -> Action | None:
        folded = fold(word)
        return next((a for a in self.actions if folded in a.names()), None)

    def read(self, text: str, zone: ZoneInfo) -> c.Command:
        """The text typed after `/name`, through the action its first word names."""
        words = text.split(maxsplit=1)
        action = self.action(words[0]) if words else None
        if action is not None:
            return action.parse(words[1] if len(words) > 1 else "", zone)
        return self.parse(text, zone)


class Registry:
    """Every command, in the order help, menus and the manifest list them."""

    def __init__(self) -> None:
        self._specs: dict[str, Spec] = {}
        self._handlers: dict[type, Handler] = {}  # resolved: the declarations' functions
        # One thread imports a handler's module at a time (a command's, the warm-up's): two
        # importing intersecting modules at once could meet in a circular import.
        self._resolving = threading.Lock()

    def add(self, *specs: Spec) -> None:
        for spec in specs:
            if spec.name in self._specs:
                raise ValueError(f"/{spec.name} is declared twice")
            self._specs[spec.name] = spec
        self._handlers.clear()

    def remove(self, name: str) -> None:
        del self._specs[name]
        self._handlers.clear()

    def __iter__(self) -> Iterator[Spec]:
        return iter(list(self._specs.values()))

    def find(self, name: str) -> Spec | None:
        return self._specs.get(name.lstrip("/").lower())

    def parse(self, name: str, text: str, zone: ZoneInfo) -> c.Command:
        """`name` is the command without its slash; `text` its arguments as typed."""
        spec = self.find(name)
        if spec is None:
            raise UserError("error.unknown_command", command=f"/{name.lstrip('/').lower()}")
        return spec.read(text, zone)

    def handler(self, kind: type) -> Handler:
        """The function handling commands of `kind`, its module imported on first use."""
        found = self._handlers.get(kind)  # once resolved, no lock is taken
        if found is None:
            with self._resolving:
                found = self._handlers.get(kind)
                if found is None:
                    found = self._handlers[kind] = _resolve(self._declared(), kind)
        return found

    def _declared(self) -> dict[type, Handler | str]:
        declared: dict[type, Handler | str] = {}
        for spec in self:
            for handles in (spec.handles, *(a.handles for a in spec.actions)):
                for kind, handler in handles.items():
                    declared.setdefault(kind, handler)  # the first declared, as it always was
        return declared

    def warm(self, pause: float = 0.0) -> None:
        """Resolve every declared handler now, their modules imported in the registry's order
        (a serving process's warm-up, adapters/warmup.py), `pause` seconds after each."""
        for kind in self._declared():
            self.handler(kind)
            time.sleep(pause)

    def forms(self) -> Iterator[tuple[Spec, Action | None, Form]]:
        """Every declared form, with the command (and the action) it completes."""
        for spec in self:
            if spec.form is not None:
                yield spec, None, spec.form
            for action in spec.actions:
                if action.form is not None:
                    yield spec, action, action.form

    def help_keys(self, roles: frozenset[Role]) -> list[str]:
        """The help lines for someone with these roles, in the registry's order, once each."""
        keys: list[str] = []
        for spec in self:
            for line in spec.help:
                wanted = line.roles or spec.roles
                if (not wanted or wanted & roles) and line.key not in keys:
                    keys.append(line.key)
        return keys


def _resolve(handlers: dict[type, Handler | str], kind: type) -> Handler:
    declared = handlers.get(kind)
    if declared is None:
        raise LookupError(f"no handler declared for {kind.__name__}")
    if not isinstance(declared, str):
        return declared
    module, _, name = declared.rpartition(".")
    handler: Handler = getattr(importlib.import_module(f"{SERVICES}.{module}"), name)
    return handler


REGISTRY = Registry()
