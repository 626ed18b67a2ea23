"""`mentorbot run` with no chat platform: a worker (the scheduler and the health endpoints), with
structured logs that carry ids but no personal data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.clock import ManualClock
from tests.conftest import Programme, fresh_sqlite, load_programme
from tests.serving_process import Process, base_env, eventually, serve

MONDAY_NOON = "2026-11-23T11:00:00+00:00"  # after Monday 09:00: this week's check-ins are due


@pytest.fixture
def school(sqlite_template: Path, tmp_path: Path, clock: ManualClock) -> Iterator[Programme]:
    database = fresh_sqlite(sqlite_template, tmp_path)
    yield load_programme(database, clock)
    database.dispose()


def worker(programme: Programme, tmp_path: Path, **env: str) -> Process:
    url = str(programme.database.engine.url)
    return serve(["run"], base_env(url, MENTORBOT_CLOCK=MONDAY_NOON, **env), tmp_path)


def test_a_worker_runs_the_ticks_and_reports_only_what_it_serves(
    school: Programme, tmp_path: Path
) -> None:
    served = worker(school, tmp_path)
    try:
        ready = served.wait_ready()
        assert set(ready) == {"ready", "database", "warmed", "scheduler"}
        assert ready["scheduler"]["leader"] is True
        eventually(
            lambda: served.metric("mentorbot_job_runs_total", job="checkins", outcome="ok"),
            timeout=10,
            what="a check-in tick",
        )
        # Nothing delivers here: the check-ins wait in the outbox, which /metrics shows.
        assert "mentorbot_outbox_deliveries_total{" not in served.get("/metrics")[1]
    finally:
        code, seconds = served.stop()
    assert code == 0 and seconds < 10


def test_json_logs_one_object_a_line_with_ids_and_no_personal_data(
    school: Programme, tmp_path: Path
) -> None:
    served = worker(school, tmp_path, MENTORBOT_LOG_FORMAT="json")
    try:
        eventually(
            lambda: '"job": "checkins"' in served.output(),
            timeout=10,
            what="a job's structured log line",
        )
    finally:
        assert served.stop()[0] == 0
    lines = [line for line in served.output().splitlines() if line and line[0] == "{"]
    assert len(lines) == len(served.output().splitlines()) - 2  # all but the banner and stdout
    entries = [json.loads(line) for line in lines]
    assert entries and all({"time", "level", "logger", "message"} <= set(e) for e in entries)
    assert any(e.get("job") == "checkins" for e in entries)
    text = served.output()
    for person in school.people.values():
        assert person.email not in text and person.name not in text
