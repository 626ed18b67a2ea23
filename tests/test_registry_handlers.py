"""The registry names most handlers ("booking.book": `bot.services.booking.book`) and imports
their module on a command's first use or at a serving process's warm-up: every name must be
one of a service's functions, found before a student types the command."""

from __future__ import annotations

import importlib

import pytest

from bot.commands import ShowHelp
from bot.registry import REGISTRY, Registry, Spec
from bot.registry.model import SERVICES


def declared() -> list[tuple[type, object]]:
    found: list[tuple[type, object]] = []
    for spec in REGISTRY:
        for handles in (spec.handles, *(action.handles for action in spec.actions)):
            found.extend(handles.items())
    return found


def test_every_named_handler_is_its_service_function() -> None:
    named = [(kind, name) for kind, name in declared() if isinstance(name, str)]
    assert len(named) > 30
    for kind, name in named:
        module, _, function = str(name).rpartition(".")
        expected = getattr(importlib.import_module(f"{SERVICES}.{module}"), function)
        assert callable(expected), name
        assert REGISTRY.handler(kind) is expected, name


def test_a_misnamed_handler_fails_loudly_at_the_warm_up() -> None:
    registry = Registry()
    registry.add(Spec("aide", lambda text, zone: ShowHelp(), handles={ShowHelp: "booking.nope"}))
    with pytest.raises(AttributeError, match="nope"):
        registry.warm()
    with pytest.raises(LookupError, match="no handler declared for int"):
        registry.handler(int)
