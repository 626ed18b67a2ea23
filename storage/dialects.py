"""The few statements SQLite and PostgreSQL spell differently.

Each dialect's module is imported by the first statement for it: the other's costs a process
on SQLite (or PostgreSQL) tens of milliseconds at start for nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.sql.functions import FunctionElement

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite
    from sqlalchemy.sql.compiler import SQLCompiler


def insert(db: OrmSession, table: type) -> sqlite.Insert | postgresql.Insert:
    """An INSERT that can skip conflicting rows (`on_conflict_do_nothing`) on either database."""
    if db.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


class epoch_micros(FunctionElement[int]):
    """A UTC timestamp column as whole microseconds since 1970, computed by the database: read
    so, hundreds of a calendar's times need no datetime parsed and made aware each."""

    type = BigInteger()
    inherit_cache = True
    name = "epoch_micros"


@compiles(epoch_micros, "sqlite")
def _sqlite_epoch_micros(element: epoch_micros, compiler: SQLCompiler, **kw: Any) -> str:
    # Stored as text, 'YYYY-MM-DD HH:MM:SS.ffffff' (SQLAlchemy's format, naive UTC): the whole
    # seconds, then the six digits after the point (none: 0).
    column = compiler.process(element.clauses, **kw)
    return f"(unixepoch({column}) * 1000000 + CAST(substr({column}, 21) AS INTEGER))"


@compiles(epoch_micros, "postgresql")
def _postgresql_epoch_micros(element: epoch_micros, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"CAST(extract(epoch FROM {column}) * 1000000 AS BIGINT)"  # numeric: exact
