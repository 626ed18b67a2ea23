"""`mentorbot slack --http` as a school runs it: a subprocess that does its scheduled work by
itself, answers health checks, and stops cleanly without losing or doubling a message."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.domain import Notification
from storage.database import Database
from tests.conftest import Programme, fresh_sqlite, load_programme
from tests.serving_process import Process, base_env, eventually, serve
from tests.slack.conftest import SECRET, TOKEN
from tests.slack.fake_slack import FakeSlack

# Léa's session is booked for Wednesday 25 November 2026, 14:00 in Paris (13:00 UTC); the
# process starts on Tuesday at 13:30 UTC: the day-before reminder is due, and so is this
# week's check-in (Monday 09:00).
TUESDAY = datetime(2026, 11, 24, 13, 30, tzinfo=UTC)
LEA_DM = "DU0LEA"


@pytest.fixture
def school(sqlite_template: Path, tmp_path: Path, clock: object) -> Iterator[Programme]:
    database = fresh_sqlite(sqlite_template, tmp_path)
    programme = load_programme(database, clock)  # type: ignore[arg-type]
    programme.ok("lea", "/book 2026-11-25 14:00")
    yield programme
    database.dispose()


def serve_slack(
    programme: Programme, fake: FakeSlack, tmp_path: Path, *flags: str, **env: str
) -> Process:
    url = str(programme.database.engine.url)
    settings = {
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url,
        "SLACK_ADVISORS_CHANNEL": "C0ADVISORS",
        "MENTORBOT_CLOCK": TUESDAY.isoformat(),
        **env,
    }
    args = ["slack", "--http", "--port", "0", *flags]
    return serve(args, base_env(url, **settings), tmp_path)


def dms_to(fake: FakeSlack, channel: str) -> list[str]:
    return [
        json.dumps(call.args.get("blocks"))
        for call in fake.calls_to("chat.postMessage")
        if call.channel == channel
    ]


def sent_keys(database: Database) -> list[str]:
    query = text("SELECT idempotency_key FROM outbox WHERE sent_at IS NOT NULL")
    with database.engine.connect() as connection:
        return [str(key) for key in connection.execute(query).scalars()]


def test_reminders_and_checkins_go_out_by_themselves(
    school: Programme, fake: FakeSlack, tmp_path: Path
) -> None:
    """No `jobs run`: the serving process's own ticks find the due work and deliver it."""
    served = serve_slack(school, fake, tmp_path)
    try:
        # The roster's welcomes and the booking's invites are sent too: wait for the two kinds
        # the ticks make, whatever else went out first.
        keys = eventually(
            lambda: (k := sent_keys(school.database)) and _checkin_and_reminder(k) and k,
            timeout=30,
            what="a check-in and a reminder sent",
        )
        assert keys and len(dms_to(fake, LEA_DM)) >= 2, "Léa's reminder and check-in"
        ready = served.wait_ready()
        assert ready["slack"] == {"ready": True, "mode": "http"}
        assert ready["scheduler"] == {"ready": True, "leader": True}
        assert served.metric("mentorbot_scheduler_leader") == 1.0
        assert served.metric("mentorbot_job_runs_total", job="checkins", outcome="ok") >= 1
        assert served.metric("mentorbot_outbox_deliveries_total", platform="slack", outcome="sent")
    finally:
        code, seconds = served.stop()
    assert code == 0 and seconds < 10, served.output()
    assert "Traceback" not in served.output()


def _checkin_and_reminder(keys: list[str]) -> bool:
    return any(k.startswith("checkin:") for k in keys) and any(
        k.startswith("reminder:") for k in keys
    )


def test_health_endpoints_answer_without_secrets(
    school: Programme, fake: FakeSlack, tmp_path: Path
) -> None:
    served = serve_slack(school, fake, tmp_path)
    try:
        assert served.get("/healthz") == (200, '{"ok": true}')
        ready = served.wait_ready()
        assert ready["database"] is True
        status, metrics = served.get("/metrics")
        assert status == 200 and "mentorbot_outbox_pending" in metrics
        everything = json.dumps(ready) + metrics + served.output()
        assert TOKEN not in everything and SECRET not in everything
        assert "lea@school.example" not in everything
        assert served.get("/nothing")[0] == 404
    finally:
        served.stop()


def test_sigterm_during_a_burst_loses_nothing_and_sends_nothing_twice(
    school: Programme, fake: FakeSlack, tmp_path: Path
) -> None:
    """Stopped mid-burst, the process hands back what it held: after a restart the rest of
    Léa's messages arrive at once (no lease to wait out), each exactly once."""
    lea = school.people["lea"]
    burst = 12  # one DM channel: Slack takes 1 message a second, and the deliverer keeps to it
    with school.database.uow() as uow:
        uow.outbox.add_many(
            [
                Notification(f"burst:{n}", lea.id, "link.done", {"name": f"#{n:02d}"})
                for n in range(burst)
            ],
            school.clock.now(),
        )
        uow.commit()
    fake.latency["chat.postMessage"] = 0.1
    # No scheduler: only the burst is delivered, so every message to Léa is one of ours.
    served = serve_slack(school, fake, tmp_path, "--no-scheduler")
    eventually(lambda: len(dms_to(fake, LEA_DM)) >= 5, timeout=20, what="the burst to start")
    code, seconds = served.stop()
    assert code == 0 and seconds < 10, served.output()
    during = len(dms_to(fake, LEA_DM))
    assert 5 <= during < burst, "stopped mid-burst"

    restarted = serve_slack(school, fake, tmp_path, "--no-scheduler")
    try:
        eventually(lambda: len(dms_to(fake, LEA_DM)) > during, timeout=5, what="the next message")
        eventually(lambda: len(dms_to(fake, LEA_DM)) >= burst, timeout=20, what="the whole burst")
    finally:
        restarted.stop()
    texts = [t for t in dms_to(fake, LEA_DM) if "bonjour #" in t]  # the burst's, not her invite
    numbers = [n for n in range(burst) if sum(f"#{n:02d}" in t for t in texts) == 1]
    assert len(texts) == burst and numbers == list(range(burst)), texts
