"""The README's command table names every command the registry declares, and nothing else:
the table is written by hand, so a command added, renamed or removed must show here."""

import re
from pathlib import Path

from bot.registry import REGISTRY

README = Path(__file__).resolve().parents[1] / "README.md"


def table_commands() -> set[str]:
    """Every `/name` in the first column of the `## Commands` table."""
    section = README.read_text(encoding="utf-8").split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `/"):
            first_column = line.split(" | ", 1)[0]
            names.update(re.findall(r"`/([a-z]+)", first_column))
    return names


def test_the_readme_command_table_lists_every_registered_command() -> None:
    declared = {spec.name for spec in REGISTRY}
    listed = table_commands()
    assert declared - listed == set(), "declared but missing from the README's table"
    assert listed - declared == set(), "in the README's table but not declared"
