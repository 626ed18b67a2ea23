"""A worker killed (SIGKILL) in the middle of a 1,000-message fan-out loses nothing; restarted,
it sends the rest, and at most the one message in flight at the kill is sent twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.domain import Notification, Role
from storage.database import Database
from tests.fake_platform import FakePlatform

ROOT = Path(__file__).resolve().parents[1]
MESSAGES = 1000


def fan_out(database: Database) -> None:
    now = datetime.now(UTC)
    with database.uow() as uow:
        people = [
            uow.people.add(f"s{n}@crash.org", f"S{n}", "UTC", "en", [Role.STUDENT], now)
            for n in range(MESSAGES)
        ]
        uow.outbox.add_many(
            [Notification(f"fanout:{p.id}", p.id, "checkin.prompt") for p in people], now
        )
        uow.commit()


def worker(url: str, platform: FakePlatform, offset: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.outbox_worker_process", url, platform.url, str(offset)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_sigkill_mid_fan_out_then_restart_sends_each_message_once(
    sqlite_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "crash.db"
    path.write_bytes(sqlite_template.read_bytes())
    url = f"sqlite:///{path}"
    database = Database(url)
    fan_out(database)
    with FakePlatform() as platform:
        first = worker(url, platform, offset=0)
        deadline = time.monotonic() + 60
        while platform.total() < MESSAGES // 3 and time.monotonic() < deadline:
            time.sleep(0.01)  # polling the fake platform, not waiting for time to pass
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
        assert first.returncode == -signal.SIGKILL
        delivered_before_kill = platform.total()
        assert MESSAGES // 3 <= delivered_before_kill < MESSAGES
        # The dead worker's leases last 60 s; the restart sees them expired.
        second = worker(url, platform, offset=61)
        out, err = second.communicate(timeout=120)
        assert second.returncode == 0, err
        assert int(out.split()[1]) == MESSAGES - delivered_before_kill + len(
            [k for k, c in platform.received.items() if c > 1]
        )
    assert set(platform.received) == {f"fanout:{n}" for n in range(1, MESSAGES + 1)}
    duplicates = [key for key, count in platform.received.items() if count > 1]
    assert len(duplicates) <= 1, duplicates
    assert all(count <= 2 for count in platform.received.values())
    with database.uow() as uow:
        assert uow.outbox.pending_count() == 0
    database.dispose()
