"""The few statements SQLite and PostgreSQL spell differently.

Each dialect's module is imported by the first statement for it: the other's costs a process
on SQLite (or PostgreSQL) tens of milliseconds at start for nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session as OrmSession

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite


def insert(db: OrmSession, table: type) -> sqlite.Insert | postgresql.Insert:
    """An INSERT that can skip conflicting rows (`on_conflict_do_nothing`) on either database."""
    if db.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)
