"""Is the database at the migrations' head? Answered without importing Alembic.

Importing Alembic's command layer pulls its DDL helpers for five dialects, Mako and Pygments:
about a third of a serving process's start-up, spent at every start to learn that nothing is
to be done. Here the head revisions are read from the migration files themselves (their
module-level `revision` and `down_revision`, parsed, never executed) and compared with the
`alembic_version` table. Only when they differ, or when anything cannot be read for sure, is
Alembic run — so a new migration, a fresh database or a database ahead of this code gets
exactly Alembic's own behaviour.
"""

from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy import Engine, inspect, text

VERSION_TABLE = "alembic_version"


def heads(versions: Path) -> frozenset[str] | None:
    """The revisions no other revision builds on; None when a file cannot be read for sure."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted(versions.glob("*.py")):
        found = _revision_of(path)
        if found is None:
            return None
        revision, down = found
        revisions.add(revision)
        parents.update(down)
    tips = frozenset(revisions - parents)
    return tips or None


def _revision_of(path: Path) -> tuple[str, tuple[str, ...]] | None:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return None
    values = {}
    for node in tree.body:
        target, value = _assignment(node)
        if target in ("revision", "down_revision"):
            try:
                values[target] = ast.literal_eval(value) if value is not None else None
            except ValueError:  # computed, not a literal: let Alembic work it out
                return None
    revision, down = values.get("revision"), values.get("down_revision")
    if not isinstance(revision, str) or "down_revision" not in values:
        return None
    parents = (down,) if isinstance(down, str) else tuple(down or ())
    if not all(isinstance(parent, str) for parent in parents):
        return None
    return revision, parents


def _assignment(node: ast.stmt) -> tuple[str | None, ast.expr | None]:
    """`name = value` or `name: type = value` at module level."""
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
        return (target.id if isinstance(target, ast.Name) else None), node.value
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id, node.value
    return None, None


def applied(engine: Engine) -> frozenset[str] | None:
    """The revisions recorded in the database; None when it has no version table yet."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))
        return frozenset(str(row[0]) for row in rows)


def at_head(engine: Engine, versions: Path) -> bool:
    """True only when the database is known to be exactly at the files' heads."""
    wanted = heads(versions)
    return wanted is not None and applied(engine) == wanted
