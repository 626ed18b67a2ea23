"""The scheduler adapter: a real APScheduler firing a job, and one leader among replicas."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent

from adapters.bootstrap import App
from adapters.scheduler import LeaderScheduler, build_scheduler, run_job
from bot.clock import ManualClock
from bot.core import Core
from bot.domain import AlertCategory, Notification
from bot.outbox import DeliveryFailed, OutboxWorker
from storage.database import Database
from tests.conftest import Programme, make_settings
from tests.recording import RecordingDeliverer


def app_for(programme: Programme) -> App:
    settings = make_settings("sqlite://")
    core = Core(programme.database.uow, programme.clock, settings)
    return App(settings, programme.database, core, programme.clock)


def test_a_real_apscheduler_fires_the_checkins_job(programme: Programme) -> None:
    app = app_for(programme)
    scheduler = build_scheduler(app)
    assert {job.id for job in scheduler.get_jobs()} == {
        "reminders",
        "checkins",
        "alerts",
        "disengagement",
        "unparked",
        "pruned",
        "digest",
        "surveys",
        "nudges",
        "retention",
    }
    fired = threading.Event()
    outcome: list[JobExecutionEvent] = []

    def listen(event: JobExecutionEvent) -> None:
        if event.job_id == "checkins":
            outcome.append(event)
            fired.set()

    scheduler.add_listener(listen, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    scheduler.start(paused=True)
    scheduler.modify_job("checkins", next_run_time=datetime.now(UTC))
    scheduler.resume()
    try:
        assert fired.wait(timeout=30)
    finally:
        scheduler.shutdown(wait=True)
    assert outcome[0].exception is None and outcome[0].retval == 2  # Paris students: 10:00


def test_the_daily_scan_runs_once_per_day_unless_run_by_hand(programme: Programme) -> None:
    app = app_for(programme)
    programme.clock.advance(days=20)  # nobody has had a session for weeks
    assert run_job(app, "disengagement") == 3
    with programme.database.uow() as uow:
        alert = uow.alerts.live_for(programme.people["lea"].id, AlertCategory.DISENGAGEMENT)
        assert alert is not None
        uow.alerts.resolve(alert.id, programme.people["advisor"].id, programme.clock.now(), "ok")
        uow.commit()
    assert run_job(app, "disengagement") == 0  # same day: already ran
    assert run_job(app, "disengagement", by_hand=True) == 1


def test_only_one_replica_leads_on_postgresql(database: Database) -> None:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no replicas: the one process leads")
    first, second = database.leadership(), database.leadership()
    assert first.try_acquire() is True
    assert second.try_acquire() is False
    first.release()
    assert second.try_acquire() is True
    second.release()


def test_two_leader_schedulers_only_one_runs_the_ticks(database: Database) -> None:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no replicas: the one process leads")
    settings = make_settings("sqlite://")
    clock = ManualClock(datetime(2026, 11, 23, 9, tzinfo=UTC))
    app = App(settings, database, Core(database.uow, clock, settings), clock)
    one, two = LeaderScheduler(app), LeaderScheduler(app)
    one.start()
    two.start()
    try:
        assert [one.leading, two.leading] == [True, False]
        assert one.scheduler is not None and one.scheduler.running and two.scheduler is None
        one.stop()  # the leader leaves: the other takes over at its next attempt
        two.campaign._step()
        assert two.leading and two.scheduler is not None and two.scheduler.running
    finally:
        one.stop()
        two.stop()


def test_a_student_no_message_reaches_is_reported_to_the_advisors(programme: Programme) -> None:
    lea = programme.people["lea"]
    with programme.database.uow() as uow:
        uow.outbox.add(Notification("dm:1", lea.id, "checkin.prompt"), programme.clock.now())
        uow.commit()
    closed = RecordingDeliverer([DeliveryFailed("50007: DMs closed", permanent=True)])
    OutboxWorker(programme.database.uow, programme.clock, closed).run_once()
    assert closed.attempts == 1 and closed.sent == []
    with programme.database.uow() as uow:
        (queued,) = uow.outbox.claim_due(programme.clock.now(), 10, 60)
    assert queued.notification.key == "delivery.unreachable"
    assert queued.notification.channel == "advisors:console"
    assert queued.notification.params["name"] == "Léa Dubois"
