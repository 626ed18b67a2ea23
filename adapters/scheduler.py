"""The scheduler: one more inbound adapter. APScheduler 3 only ticks; jobs read the database.

Times are explicit: the scheduler runs in UTC, the daily scan at a local hour of the programme's
zone. `coalesce` turns a backlog of missed ticks into one run, and `misfire_grace_time` lets a
tick that was late (a busy machine, a suspended laptop) still run instead of being dropped: each
job derives its due work from the database, so a late or doubled run changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler

from adapters.bootstrap import App
from bot.scheduled import JOBS

log = logging.getLogger(__name__)

TICKS = {
    "reminders": {"trigger": "interval", "seconds": 60},
    "checkins": {"trigger": "interval", "minutes": 5},
    "alerts": {"trigger": "interval", "minutes": 10},
}
DAILY_SCAN_HOUR = 4  # local time of the programme: quiet, and clear of DST's 02:00-03:00
DIGEST = {"day_of_week": "mon", "hour": 8}  # the advisors' weekly digest, programme time


# Jobs that must run once per period whatever the number of leaders: the period's key.
def _day(local: datetime) -> str:
    return local.date().isoformat()


def _iso_week(local: datetime) -> str:
    year, week, _ = local.isocalendar()
    return f"{year}-W{week:02d}"


PERIODS: dict[str, Callable[[datetime], str]] = {"disengagement": _day, "digest": _iso_week}


def run_job(app: App, name: str, *, by_hand: bool = False) -> int:
    """One job in one unit of work; periodic ones once per period across replicas (by hand:
    always; the scan is safe to repeat, and a digest by hand is what was asked for)."""
    now = app.clock.now()
    with app.database.uow() as uow:
        if name in PERIODS and not by_hand:
            period = PERIODS[name](now.astimezone(ZoneInfo(app.settings.timezone)))
            if not uow.job_runs.claim(name, period, now):
                log.info("%s already ran for %s", name, period)
                return 0
        count = JOBS[name](uow, now, app.settings)
    log.info("job %s queued %d", name, count)
    return count


def build_scheduler(app: App) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(
        timezone=ZoneInfo("UTC"),
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
    )
    for name, trigger in TICKS.items():
        scheduler.add_job(run_job, args=(app, name), id=name, **trigger)
    scheduler.add_job(
        run_job,
        "cron",
        args=(app, "disengagement"),
        id="disengagement",
        hour=DAILY_SCAN_HOUR,
        timezone=ZoneInfo(app.settings.timezone),
    )
    scheduler.add_job(
        run_job,
        "cron",
        args=(app, "digest"),
        id="digest",
        timezone=ZoneInfo(app.settings.timezone),
        **DIGEST,
    )
    return scheduler


class LeaderScheduler:
    """Runs the ticks only while this replica holds the leadership lock; retries to take over."""

    def __init__(self, app: App, *, retry_seconds: float = 30.0) -> None:
        self.app = app
        self.leadership = app.database.leadership()
        self.scheduler = build_scheduler(app)
        self._campaign = BackgroundScheduler(timezone=ZoneInfo("UTC"))
        self._campaign.add_job(self._try_lead, "interval", seconds=retry_seconds, id="lead")

    def start(self) -> LeaderScheduler:
        if not self._try_lead():
            self._campaign.start()
        return self

    def _try_lead(self) -> bool:
        if self.scheduler.running:
            return True
        if not self.leadership.try_acquire():
            return False
        log.info("this process leads the scheduled jobs")
        self.scheduler.start()
        if self._campaign.running:
            self._campaign.remove_job("lead")
        return True

    def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self._campaign.running:
            self._campaign.shutdown(wait=False)
        self.leadership.release()
