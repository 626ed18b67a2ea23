"""Engines and migrations.

A unit of work says up front whether it may write. On SQLite (in WAL mode, where readers never
block the writer nor each other) a writing one starts with `BEGIN IMMEDIATE`, so check-then-insert
is serialised and bookings never overlap; a reading one starts `BEGIN DEFERRED` and never takes
the write lock (`PRAGMA query_only` makes a write in it an error, not a silent lock upgrade that
could fail under contention). On PostgreSQL a reading one is a `READ ONLY` transaction.
"""

from __future__ import annotations

import threading
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from storage.leadership import LOCK_NAME, Leadership
from storage.schema_version import at_head

if TYPE_CHECKING:  # Alembic is imported only when a migration is to be run (schema_version.py)
    from alembic.config import Config
    from sqlalchemy.orm import Session, sessionmaker

    from storage.unit_of_work import SqlUnitOfWork

MIGRATIONS = Path(__file__).parent / "migrations"
WRITES = "mentorbot_writes"  # execution option: False for a reading unit of work


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_engine(url, pool_size)
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


def _sqlite_engine(url: str, pool_size: int) -> Engine:
    engine = create_engine(
        url, connect_args={"timeout": 30, "check_same_thread": False}, pool_size=pool_size
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A writer takes the write lock up front: check-then-insert can then never double-book.
        # A reader takes none: a deferred transaction reads a snapshot, whoever is writing.
        writes = connection.get_execution_options().get(WRITES, True)
        _query_only(connection.connection, not writes)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN DEFERRED")

    return engine


def _query_only(pooled: Any, wanted: bool) -> None:
    """Set on the raw connection (no I/O, and only when it changes), before its transaction;
    `info` lives as long as that connection does."""
    if pooled.info.get("query_only", False) != wanted:
        pooled.driver_connection.execute(f"PRAGMA query_only={int(wanted)}")
        pooled.info["query_only"] = wanted


def reading(engine: Engine) -> Engine:
    """The same engine (pool, events) for units of work that only read."""
    if engine.dialect.name == "postgresql":
        return engine.execution_options(**{WRITES: False}, postgresql_readonly=True)
    return engine.execution_options(**{WRITES: False})


def session_factory(engine: Engine) -> sessionmaker[Session]:
    from sqlalchemy.orm import sessionmaker

    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Apply every migration not yet applied (idempotent); Alembic only when there is one."""
    if at_head(engine, MIGRATIONS / "versions"):
        return
    from alembic import command

    command.upgrade(alembic_config(engine), "head")


def describe(engine: Engine) -> str:
    """The URL without its password, for logs and messages."""
    return engine.url.render_as_string(hide_password=True)


class Database:
    """The one object adapters hold: an engine, its sessions and a unit-of-work factory.

    Built and upgraded with SQLAlchemy Core only: the ORM, the mapped models and the
    repositories are imported by the first unit of work (or `load_orm`), so a serving process
    answers /healthz, its migration check done, before paying for them."""

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.engine = make_engine(url, pool_size=pool_size)
        # SQLite has one writer at a time anyway; queueing this process's writers on a lock
        # avoids its busy-timeout polling (sleeps of up to 100 ms) when many threads contend.
        # Readers never queue: they take neither this lock nor SQLite's.
        sqlite = self.engine.dialect.name == "sqlite"
        self._write_lock = threading.Lock() if sqlite else None

    @cached_property
    def _sessions(self) -> sessionmaker[Session]:
        return session_factory(self.engine)

    @cached_property
    def _read_sessions(self) -> sessionmaker[Session]:
        return session_factory(reading(self.engine))

    def load_orm(self) -> None:
        """Import the models and repositories, and configure the mappers, now rather than
        in the first unit of work (a serving process's warm-up, adapters/warmup.py)."""
        from sqlalchemy.orm import configure_mappers

        from storage import unit_of_work  # noqa: F401  (the models, through the repositories)

        self._sessions, self._read_sessions  # noqa: B018  (built once, here)
        configure_mappers()

    def uow(self) -> SqlUnitOfWork:
        """A unit of work that may write (on SQLite it holds the write lock from its first
        statement to its commit or end)."""
        from storage.unit_of_work import SqlUnitOfWork

        return SqlUnitOfWork(self._sessions, self._write_lock, self._read_sessions)

    def reads(self) -> SqlUnitOfWork:
        """A unit of work that only reads: no lock, a snapshot; a write in it is an error."""
        from storage.unit_of_work import SqlUnitOfWork

        return SqlUnitOfWork(self._read_sessions, None, self._read_sessions)

    def upgrade(self) -> None:
        upgrade(self.engine)

    def describe(self) -> str:
        return describe(self.engine)

    def leadership(self, name: str = LOCK_NAME) -> Leadership:
        return Leadership(self.engine, name)

    def dispose(self) -> None:
        self.engine.dispose()
