"""The application commands, built from the registry (`bot.registry`): one command, or one group
of subcommands, per declared command, its options typed and translated.

A callback hands the options to the core as the registry's builder reads them (a picked user
becomes the mention the core resolves through the Discord identity): nothing is joined into
text and parsed again. Names, descriptions and choices are `locale_str`s: French and English
at sync (`translator`).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Optional

import discord
from discord import app_commands

from adapters.discord import autocomplete, forms
from adapters.discord.handler import Handler
from adapters.discord.translator import localised
from bot.commands import Command, PersonRef
from bot.registry import REGISTRY, Kind, Option, Spec, Values
from bot.registry.model import Builder
from bot.vocabulary import Vocabulary

Interaction = discord.Interaction[Any]
Choice = app_commands.Choice
Tree = app_commands.CommandTree[Any]
User = discord.Member | discord.User
AppCommand = app_commands.Command[Any, ..., None]
Callback = Callable[..., Awaitable[None]]
TYPES: dict[Kind, Any] = {
    Kind.TEXT: str,
    Kind.LONG_TEXT: str,
    Kind.INT: int,
    Kind.DATE: str,
    Kind.TIME: str,
    Kind.PERSON: User,
    Kind.CHOICE: str,
    Kind.BOOL: bool,
}


def register(tree: Tree, handler: Handler) -> None:
    """Every command of the registry that has typed options (`/route` and `/help` have none)."""
    for spec in REGISTRY:
        if spec.on_discord:
            tree.add_command(command_for(spec, handler))


def command_for(spec: Spec, handler: Handler) -> AppCommand | app_commands.Group:
    if not spec.actions:
        assert spec.build is not None
        return _command(spec.stem, spec.name, spec.options, spec.build, handler)
    group = app_commands.Group(
        name=_name(spec.stem, spec.name), description=_description(spec.stem, spec.name)
    )
    for action in spec.actions:
        if action.build is not None:
            group.add_command(
                _command(action.key, action.name, action.options, action.build, handler)
            )
    return group


def _name(key: str, default: str) -> app_commands.locale_str:
    """`discord.{key}.name` (`book`, `availability_add`), French and English."""
    return localised(f"discord.{key}.name", default)


def _description(key: str, default: str) -> app_commands.locale_str:
    return localised(f"discord.{key}.desc", default)


def _command(
    key: str, default: str, options: Sequence[Option], build: Builder, handler: Handler
) -> AppCommand:
    special = SPECIAL.get(key)
    run = special(handler) if special else _runner(options, build, handler)

    async def callback(interaction: Interaction, **given: Any) -> None:
        await run(interaction, given)

    callback.__signature__ = _signature(options)  # type: ignore[attr-defined]
    _decorate(callback, options)
    command: AppCommand = app_commands.Command(
        name=_name(key, default), description=_description(key, default), callback=callback
    )
    for option in options:
        if option.suggest is not None:
            suggest = _suggester(option, options, build, handler)
            command.autocomplete(option.name)(suggest)  # type: ignore[arg-type]  # str or int
    return command


Run = Callable[[Interaction, dict[str, Any]], Awaitable[None]]


def _runner(options: Sequence[Option], build: Builder, handler: Handler) -> Run:
    async def run(interaction: Interaction, given: dict[str, Any]) -> None:
        values = core_values(options, given)
        await handler.options(interaction, lambda zone: build(Values(values, zone)))

    return run


def core_values(options: Sequence[Option], given: dict[str, Any]) -> dict[str, object]:
    """Discord's option values as the core's builders read them (a user: its mention)."""
    return {option.name: _core_value(given.get(option.name)) for option in options}


def _core_value(value: object) -> object:
    if isinstance(value, discord.User | discord.Member):
        return PersonRef(f"<@{value.id}>")
    return value


def _signature(options: Sequence[Option]) -> inspect.Signature:
    """The callback's parameters, one per option, for discord.py to read their types from."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    first = inspect.Parameter(
        "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Interaction
    )
    rest = [
        inspect.Parameter(
            option.name,
            keyword,
            annotation=_annotation(option),
            default=inspect.Parameter.empty if option.required else None,
        )
        for option in options
    ]
    return inspect.Signature([first, *rest])


def _annotation(option: Option) -> Any:
    kind: Any = TYPES[option.kind]
    if option.kind is Kind.INT and option.minimum is not None and option.maximum is not None:
        kind = app_commands.Range[int, option.minimum, option.maximum]
    return kind if option.required else Optional[kind]  # noqa: UP045 (built at run time)


def _decorate(callback: Callback, options: Sequence[Option]) -> None:
    """Translated names and descriptions, and the choices of closed vocabularies."""
    app_commands.rename(**{o.name: localised(o.name_key, o.name) for o in options})(callback)
    app_commands.describe(**{o.name: localised(o.desc_key, o.name) for o in options})(callback)
    choices = {o.name: choices_of(o.vocabulary) for o in options if o.vocabulary is not None}
    if choices:
        app_commands.choices(**choices)(callback)


def choices_of(vocabulary: Vocabulary) -> list[Choice[str]]:
    """A vocabulary's terms in the reader's language (languages in their own)."""
    if not vocabulary.translated:
        return [Choice(name=term.label, value=term.value) for term in vocabulary.terms]
    return [Choice(name=localised(term.label), value=str(term.value)) for term in vocabulary.terms]


Suggester = Callable[[Interaction, str], Awaitable[list[Any]]]


def _suggester(
    option: Option, options: Sequence[Option], build: Builder, handler: Handler
) -> Suggester:
    """What is suggested while `option` is typed: the core's own choices for the command
    without the options this one's suggestions stand for."""

    async def suggest(interaction: Interaction, current: str) -> list[Any]:
        if option.suggest == "zones":
            return autocomplete.zones(current)
        if option.suggest == "to_note":
            return await autocomplete.sessions_to_note(handler, interaction, current)
        offer = _offer(option, options, build, interaction, handler)
        if offer is None:
            return []
        if option.suggest == "sessions":
            return await autocomplete.session_ids(handler, interaction, offer, current)
        if option.kind is Kind.DATE:
            return await autocomplete.slot_dates(handler, interaction, offer, current)
        return await autocomplete.slot_times(handler, interaction, offer, current)

    return suggest


def _offer(
    option: Option,
    options: Sequence[Option],
    build: Builder,
    interaction: Interaction,
    handler: Handler,
) -> Command | None:
    """The command as typed so far without the suggested options (`BookSession(None)`,
    `MoveSession(12, None)`); None while a required option is missing or unreadable."""
    start = list(options).index(option)
    dropped = {
        o.name
        for number, o in enumerate(options)
        if o.suggest == option.suggest or (number > start and o.suggest is not None)
    }
    kept = [o for o in options if o.name not in dropped]
    given = {o.name: getattr(interaction.namespace, o.name, None) for o in kept}
    if any(o.required and given[o.name] is None for o in kept):
        return None
    try:
        return build(Values(core_values(kept, given), handler.zone))
    except Exception:  # a half-typed option: nothing to suggest yet
        return None


def _link(handler: Handler) -> Run:
    """`/mentorbot link`: what a stranger may do with a code, or an advisor with a person,
    is the identity's business (`Handler.link`)."""

    async def run(interaction: Interaction, given: dict[str, Any]) -> None:
        await handler.link(interaction, given.get("code"), given.get("person"))

    return run


def _checkin(handler: Handler) -> Run:
    """All four answers typed: answered at once; otherwise the form, with what was typed."""

    async def run(interaction: Interaction, given: dict[str, Any]) -> None:
        fields = ("confidence", "progress", "blockers", "goal")
        answer = forms.Checkin(*(given.get(field) for field in fields))
        if (typed := answer.command()) is not None:
            await handler.typed(interaction, typed)
        else:
            await handler.form(interaction, forms.Opening("checkin"), prefill=answer)

    return run


# Where Discord does more than hand the options over: a form, or the account link.
SPECIAL: dict[str, Callable[[Handler], Run]] = {"mentorbot_link": _link, "checkin": _checkin}
