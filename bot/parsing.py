"""From a typed line (`/book 2026-12-01 10:00`) to a command, with usage errors people can read.

Which command a line names, and which of its actions, is the registry's (`bot.registry`); each
command's module reads its own arguments.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot import commands as c
from bot.registry import REGISTRY


def parse(name: str, text: str, zone: ZoneInfo) -> c.Command:
    """`name` is the command without its slash; `text` its arguments as typed."""
    return REGISTRY.parse(name, text, zone)


def command_names() -> list[str]:
    """Every command the text parser knows, in the registry's order."""
    return [spec.name for spec in REGISTRY]
