"""A serving process's start (`mentorbot run`, `slack`, `discord`), in the order that lets
`/healthz` answer first.

1. The migration check, by the database's driver (storage/schema_version.py; when it cannot
   tell, by SQLAlchemy Core, and Alembic only when the database is behind), then the health
   endpoints: /healthz answers, /readyz says "starting". Nothing before this imports
   SQLAlchemy (unless the driver could not tell), the core, the command handlers, the
   services, a platform's SDK, prometheus_client or Babel (tests/slack/test_startup_imports.py).
2. SQLAlchemy, the ORM, the core (the commands' declarations; their handlers are named, not
   imported, see bot/registry/model.py) and the platforms: bootstrap() and adapters/serving.py.
3. Once every part runs, the warm-up (adapters/warmup.py) imports the handlers and parses the
   catalogues on a thread of its own; /readyz says ready when it is done.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from adapters.health import HealthServer
from bot.settings import Settings
from storage.schema_version import known_at_head

if TYPE_CHECKING:
    from storage.database import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServeOptions:
    platforms: Sequence[str] | None = None  # None: every configured platform (`mentorbot run`)
    scheduler: bool = True
    slack_http: bool = False  # HTTP even when SLACK_APP_TOKEN is set
    slack_port: int = 3000


def serve_settings(settings: Settings, options: ServeOptions) -> int:
    """`adapters.serving.serve`'s exit codes."""
    database = None if known_at_head(settings.database_url) else _upgraded(settings)
    try:
        health = HealthServer(settings.health_host, settings.health_port)
        health.start()
        log.info("health endpoints answer on %s; starting the rest", health.url)
        try:
            database = database or _database(settings)
            return _serve(settings, database, health, options)
        finally:
            health.stop(1.0)  # already stopped after a clean stop: then this does nothing
    finally:
        if database is not None:
            database.dispose()


def _database(settings: Settings) -> Database:
    from storage.database import Database

    return Database(settings.database_url)


def _upgraded(settings: Settings) -> Database:
    """SQLAlchemy's check, and Alembic's upgrade when the database is behind."""
    database = _database(settings)
    database.upgrade()
    return database


def _serve(
    settings: Settings, database: Database, health: HealthServer, options: ServeOptions
) -> int:
    from adapters.bootstrap import bootstrap
    from adapters.serving import serve

    # Loaded here, by this thread alone: the parts' threads (delivery, the scheduler) ask the
    # database as soon as they start, and would otherwise import the ORM beside each other.
    database.load_orm()
    return serve(bootstrap(settings, database=database), options, health=health)
