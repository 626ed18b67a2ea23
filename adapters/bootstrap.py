"""The composition root: settings, database, core. Tests call it with their own settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.channels import advisor_channels
from bot.clock import Clock, ManualClock, SystemClock
from bot.core import Core
from bot.outbox import Deliverer, OutboxWorker
from bot.settings import Settings, load_settings
from storage.database import Database


@dataclass
class App:
    settings: Settings
    database: Database
    core: Core
    clock: Clock

    def outbox_worker(
        self, deliverer: Deliverer, platforms: Sequence[str] | None = None
    ) -> OutboxWorker:
        """A worker for what `platforms` deliver (None: every notification, as in tests)."""
        return OutboxWorker(
            self.database.uow,
            self.clock,
            deliverer,
            platforms=platforms,
            advisor_channels=advisor_channels(self.settings),
        )

    def close(self) -> None:
        self.database.dispose()


def bootstrap(
    settings: Settings | None = None, *, clock: Clock | None = None, migrate: bool = True
) -> App:
    settings = settings or load_settings()
    if clock is None:
        fixed = settings.fixed_clock
        clock = ManualClock(fixed) if fixed else SystemClock()
    database = Database(settings.database_url)
    if migrate:
        database.upgrade()
    return App(settings, database, Core(database.uow, clock, settings), clock)
