"""The scheduler: one more inbound adapter. APScheduler 3 only ticks; jobs read the database.

Times are explicit: the scheduler runs in UTC, the daily scan at a local hour of the programme's
zone. `coalesce` turns a backlog of missed ticks into one run, and `misfire_grace_time` lets a
tick that was late (a busy machine, a suspended laptop) still run instead of being dropped: each
job derives its due work from the database, so a late or doubled run changes nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from adapters.bootstrap import App
from adapters.campaign import Campaign
from bot.scheduled import JOBS
from bot.settings import parse_checkin_schedule
from bot.timeparse import parse_time

if TYPE_CHECKING:  # imported when this replica first leads, not at every start
    from apscheduler.schedulers.background import BackgroundScheduler

log = logging.getLogger(__name__)


# Jobs that must run once per period whatever the number of leaders: the period's key.
def _day(local: datetime) -> str:
    return local.date().isoformat()


def _iso_week(local: datetime) -> str:
    year, week, _ = local.isocalendar()
    return f"{year}-W{week:02d}"


PERIODS: dict[str, Callable[[datetime], str]] = {
    "disengagement": _day,
    "unparked": _day,
    "pruned": _day,
    "retention": _day,
    "digest": _iso_week,
}


def run_job(app: App, name: str, *, by_hand: bool = False) -> int:
    """One job in one unit of work; periodic ones once per period across replicas (by hand:
    always; the scan is safe to repeat, and a digest by hand is what was asked for)."""
    started, outcome = time.perf_counter(), "error"
    try:
        count = _run(app, name, by_hand)
        outcome = "ok" if count is not None else "skipped"
    finally:
        app.observe_job(name, outcome, time.perf_counter() - started)
    level = logging.INFO if count else logging.DEBUG  # a quiet tick is not news
    log.log(level, "job %s queued %d", name, count or 0, extra={"job": name})
    if count:
        app.queued()  # the delivery loops send it now, not at their next tick
    return count or 0


def _run(app: App, name: str, by_hand: bool) -> int | None:
    now = app.clock.now()
    with app.database.uow() as uow:
        if name in PERIODS and not by_hand:
            period = PERIODS[name](now.astimezone(ZoneInfo(app.settings.timezone)))
            if not uow.job_runs.claim(name, period, now):
                log.info("%s already ran for %s", name, period)
                return None
        return JOBS[name](uow, now, app.settings)


def build_scheduler(app: App) -> BackgroundScheduler:
    from apscheduler.schedulers.background import BackgroundScheduler

    settings = app.settings
    zone = ZoneInfo(settings.timezone)
    scheduler = BackgroundScheduler(
        timezone=ZoneInfo("UTC"),
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
    )
    ticks = {
        "reminders": settings.tick_reminders_seconds,
        "checkins": settings.tick_checkins_seconds,
        "alerts": settings.tick_alerts_seconds,
        "surveys": settings.tick_reminders_seconds,  # after a held session, within a tick
        "nudges": settings.tick_nudges_seconds,  # weekly, per mentor: the outbox key dedupes
    }
    first = datetime.now(ZoneInfo("UTC"))  # at once: a restart catches up what it missed
    for name, seconds in ticks.items():
        scheduler.add_job(
            run_job, "interval", args=(app, name), id=name, seconds=seconds, next_run_time=first
        )
    scan = parse_time(settings.daily_scan_time)
    for daily in ("disengagement", "unparked", "retention", "pruned"):
        scheduler.add_job(
            run_job,
            "cron",
            args=(app, daily),
            id=daily,
            hour=scan.hour,
            minute=scan.minute,
            timezone=zone,
        )
    weekday, at = parse_checkin_schedule(settings.digest_schedule)
    scheduler.add_job(
        run_job,
        "cron",
        args=(app, "digest"),
        id="digest",
        day_of_week=weekday,
        hour=at.hour,
        minute=at.minute,
        timezone=zone,
    )
    return scheduler


class LeaderScheduler:
    """Runs the ticks only while this replica holds the leadership lock; retries to take over.

    A service of the serving process (see adapters/service.py): `status()` tells /readyz
    whether this replica leads."""

    name = "scheduler"

    def __init__(self, app: App) -> None:
        self.app = app
        self.scheduler: BackgroundScheduler | None = None
        self.campaign = Campaign(
            "scheduler",
            app.database.leadership(),
            every=app.settings.leader_retry_seconds,
            on_gain=self._lead,
            on_loss=self._follow,
        )

    @property
    def leading(self) -> bool:
        return self.campaign.leading

    def start(self) -> None:
        self.campaign.start()

    def _lead(self) -> None:
        self.scheduler = build_scheduler(self.app)
        self.scheduler.start()
        self.app.metrics.leader.set(1)

    def _follow(self) -> None:
        self.app.metrics.leader.set(0)
        if self.scheduler is not None:
            # Wait for a running job: its transaction commits or rolls back before the lock goes.
            self.scheduler.shutdown(wait=True)
            self.scheduler = None

    def status(self) -> dict[str, object]:
        return {"ready": True, "leader": self.leading}

    def stop(self, timeout: float = 10.0) -> None:
        self.campaign.stop(timeout)
