"""The composition root: settings, database, core. Tests call it with their own settings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from adapters.metrics import Metrics
from bot.channels import Backlog, Reach, advisor_channels, person_routes
from bot.clock import Clock, ShiftedClock, SystemClock
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
    metrics: Metrics = field(default_factory=Metrics)
    # Delivery loops register here: a job or command that queued something wakes them.
    wakers: list[Callable[[], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.core.observe = self.metrics.command

    def queued(self) -> None:
        for wake in self.wakers:
            wake()

    def observe_job(self, name: str, outcome: str, seconds: float) -> None:
        self.metrics.job(name, outcome, seconds)

    def outbox_worker(
        self,
        deliverer: Deliverer,
        platforms: Sequence[str] | None = None,
        reach: Reach | None = None,
        concurrency: int = 1,
    ) -> OutboxWorker:
        """A worker for what `platforms` deliver (None: every notification, as in tests), or
        for an explicit `reach` (a console session); its outcomes feed the metrics. Serving
        processes send `MENTORBOT_DELIVERY_CONCURRENCY` messages at once; tests, one."""
        return OutboxWorker(
            self.database.uow,
            self.clock,
            deliverer,
            reach=reach or Reach.serving(platforms, person_routes(self.settings)),
            give_up_after=timedelta(hours=self.settings.delivery_give_up_hours),
            advisor_channels=advisor_channels(self.settings),
            observer=self.metrics,
            concurrency=concurrency,
        )

    def outbox_stats(self) -> list[Backlog]:
        """The outbox gauges (`Metrics.watch_outbox`): backlog per route, asked of the database."""
        with self.database.reads() as uow:
            return uow.outbox.stats(self.clock.now(), person_routes(self.settings))

    def close(self) -> None:
        self.database.dispose()


def bootstrap(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    migrate: bool = True,
    database: Database | None = None,
) -> App:
    """`database`: one already checked against the migrations (a serving process's, which
    answered /healthz first: adapters/startup.py); else one is made, and upgraded if `migrate`."""
    settings = settings or load_settings()
    if clock is None:
        fixed = settings.fixed_clock
        clock = ShiftedClock(fixed) if fixed else SystemClock()
    if database is None:
        database = Database(settings.database_url)
        if migrate:
            database.upgrade()
    core = Core(database.uow, clock, settings, reads=database.reads)
    return App(settings, database, core, clock)
