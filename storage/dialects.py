"""The few statements SQLite and PostgreSQL spell differently."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session as OrmSession


def insert(db: OrmSession, table: type) -> sqlite.Insert | postgresql.Insert:
    """An INSERT that can skip conflicting rows (`on_conflict_do_nothing`) on either database."""
    if db.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
