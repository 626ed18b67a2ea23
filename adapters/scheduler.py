"""The scheduler: one more inbound adapter. APScheduler 3 only ticks; jobs read the database.

Times are explicit: the scheduler runs in UTC, the daily scan at a local hour of the programme's
zone. `coalesce` turns a backlog of missed ticks into one run, and `misfire_grace_time` lets a
tick that was late (a busy machine, a suspended laptop) still run instead of being dropped: each
job derives its due work from the database, so a late or doubled run changes nothing.
"""

from __future__ import annotations

import logging
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


def run_job(app: App, name: str, *, by_hand: bool = False) -> int:
    """One job in one unit of work; the daily scan once a day across replicas (by hand: always,
    which is safe since a student never gets a second open disengagement alert)."""
    now = app.clock.now()
    with app.database.uow() as uow:
        if name == "disengagement" and not by_hand:
            period = now.astimezone(ZoneInfo(app.settings.timezone)).date().isoformat()
            if not uow.job_runs.claim(name, period, now):
                log.info("disengagement scan already ran for %s", period)
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
