"""Is the database at the migrations' head? Answered without importing Alembic.

Importing Alembic's command layer pulls its DDL helpers for five dialects, Mako and Pygments:
about a third of a serving process's start-up, spent at every start to learn that nothing is
to be done. Here the head revisions are read from the migration files themselves (their
module-level `revision` and `down_revision`, parsed, never executed) and compared with the
`alembic_version` table. Only when they differ, or when anything cannot be read for sure, is
Alembic run — so a new migration, a fresh database or a database ahead of this code gets
exactly Alembic's own behaviour.

A serving process asks first through the database's own driver (`known_at_head`: sqlite3, or
psycopg), before SQLAlchemy is imported, so that it answers /healthz with the check done; any
URL it does not read for sure, and any error, leaves the answer to the engine's check.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

if TYPE_CHECKING:
    from sqlalchemy import Engine

VERSION_TABLE = "alembic_version"
VERSIONS = Path(__file__).parent / "migrations" / "versions"
# SQLAlchemy's URL shape, for the two drivers read here; a query string is left to SQLAlchemy.
_URL = re.compile(
    r"(?P<backend>sqlite|postgresql)(?:\+(?P<driver>\w+))?://"
    r"(?:(?P<user>[^:/@]*)(?::(?P<password>[^@]*))?@)?"
    r"(?P<host>[^/:?]*)(?::(?P<port>\d+))?"
    r"(?:/(?P<database>[^?]*))?$"
)
# A migration's first definition (`def upgrade`): its revision variables come before, and parsing
# only that head of each file is most of the check's time saved (the bodies are the bulk).
_FIRST_DEFINITION = re.compile(r"^(?:async\s+def|def|class)\b", re.MULTILINE)
# Either variable named again after it, at any depth: then the whole file is parsed, as before.
_NAMED = re.compile(r"^\s*(?:revision|down_revision)\b", re.MULTILINE)


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
        tree = _parsed_head(path.read_text(encoding="utf-8"), str(path))
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


def _parsed_head(source: str, filename: str) -> ast.Module:
    """The module's statements before its first definition, when the rest cannot change the
    revision variables; else (or when that head alone is not valid Python) all of them."""
    first = _FIRST_DEFINITION.search(source)
    if first is not None and not _NAMED.search(source, first.start()):
        try:
            return ast.parse(source[: first.start()], filename=filename)
        except SyntaxError:  # cut inside a string or a bracket: read it all
            pass
    return ast.parse(source, filename=filename)


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
    from sqlalchemy import inspect, text

    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))
        return frozenset(str(row[0]) for row in rows)


def at_head(engine: Engine, versions: Path) -> bool:
    """True only when the database is known to be exactly at the files' heads."""
    wanted = heads(versions)
    return wanted is not None and applied(engine) == wanted


def known_at_head(url: str, versions: Path = VERSIONS) -> bool:
    """True when the database's driver itself says it is at the files' heads; False when it is
    not, or when this cannot tell (another URL shape or driver, an error): ask `at_head`."""
    wanted = heads(versions)
    if wanted is None:
        return False
    try:
        connection = _driver_connection(url)
        if connection is None:
            return False
        try:
            rows = connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchall()
        finally:
            connection.close()
    except Exception:  # no version table, no such file, unreachable: the engine's check says
        return False
    return frozenset(str(row[0]) for row in rows) == wanted


def _driver_connection(url: str) -> Any:
    """A DB-API connection to an SQLite file (read-only, never created) or to PostgreSQL
    through psycopg; None for what SQLAlchemy alone should read."""
    match = _URL.match(url)
    if match is None or "%" in (match["host"] or "") + (match["database"] or ""):
        return None
    if match["backend"] == "sqlite":
        path = match["database"]
        if match["driver"] not in (None, "pysqlite") or match["user"] or match["host"]:
            return None
        if not path or path == ":memory:":
            return None
        import sqlite3

        return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    if match["driver"] != "psycopg" or not match["database"]:
        return None
    import psycopg

    given: dict[str, str] = {
        "host": match["host"],
        "port": match["port"],
        "user": unquote(match["user"] or ""),
        "password": unquote(match["password"] or ""),
        "dbname": match["database"],
    }
    given = {name: value for name, value in given.items() if value}
    return psycopg.connect(psycopg.conninfo.make_conninfo(**given))
