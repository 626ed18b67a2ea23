"""Every command, declared once (see `model`), in the order help and menus list them.

A command's module declares its `SPECS`; importing this package registers them all. The text
parser (`bot.parsing`), the core's handlers, help, the Discord command tree, the Slack manifest
and the forms are all read from `REGISTRY`.
"""

from __future__ import annotations

from bot.registry import (
    advising,
    alerts,
    booking,
    conversations,
    corrections,
    follow_up,
    programme,
    settings,
)
from bot.registry.model import REGISTRY, Action, Help, Kind, Option, Registry, Spec
from bot.registry.values import Values

for _module in (
    booking,
    conversations,
    alerts,
    advising,
    follow_up,
    corrections,
    programme,
    settings,
):
    REGISTRY.add(*_module.SPECS)

__all__ = ["REGISTRY", "Action", "Help", "Kind", "Option", "Registry", "Spec", "Values"]
