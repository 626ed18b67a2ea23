"""Engines and migrations. SQLite transactions start with BEGIN IMMEDIATE so bookings serialise."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from storage.leadership import LOCK_NAME, Leadership
from storage.unit_of_work import SqlUnitOfWork

MIGRATIONS = Path(__file__).parent / "migrations"


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
        # Take the write lock up front: check-then-insert can then never double-book.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Apply every migration not yet applied (idempotent)."""
    command.upgrade(alembic_config(engine), "head")


def describe(engine: Engine) -> str:
    """The URL without its password, for logs and messages."""
    return engine.url.render_as_string(hide_password=True)


class Database:
    """The one object adapters hold: an engine, its sessions and a unit-of-work factory."""

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.engine = make_engine(url, pool_size=pool_size)
        self._sessions = session_factory(self.engine)
        # SQLite has one writer at a time anyway; queueing this process's transactions on a lock
        # avoids its busy-timeout polling (sleeps of up to 100 ms) when many threads contend.
        sqlite = self.engine.dialect.name == "sqlite"
        self._write_lock = threading.Lock() if sqlite else None

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._sessions, self._write_lock)

    def upgrade(self) -> None:
        upgrade(self.engine)

    def describe(self) -> str:
        return describe(self.engine)

    def leadership(self, name: str = LOCK_NAME) -> Leadership:
        return Leadership(self.engine, name)

    def dispose(self) -> None:
        self.engine.dispose()
