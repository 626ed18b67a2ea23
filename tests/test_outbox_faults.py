"""Fault injection on PostgreSQL (issue 11): 2,000 messages through a platform that answers 429
to a fifth of the calls, 500 to one in twenty and pauses 2 s on some, delivered by two worker
processes, one of them SIGKILLed mid-run and restarted. Nothing is lost, at most the message in
flight at the kill is sent twice, each person's messages arrive in order, and everything is
delivered within 30 s of the restart.

The Retry-After values are scaled down (a fifth of a second), not the counts; the leases are
short (6 s, renewed while sending) so a crash holds back little, briefly.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.domain import Notification, Role
from storage.database import Database
from tests.conftest import PG_SKIP, PG_URL, erase
from tests.fake_platform import FakePlatform, Faults

ROOT = Path(__file__).resolve().parents[1]
PEOPLE, EACH = 500, 4  # 2,000 messages, four per person (their order is checked)
FAULTS = Faults(rate_limited=0.20, retry_after=0.1, errors=0.05, slow=0.002, latency=2.0)
LEASE = 6


def fan_out(database: Database) -> dict[str, tuple[int, int]]:
    """Queue the messages; returns key -> (person, rank among that person's messages)."""
    now = datetime.now(UTC)
    with database.uow() as uow:
        people = [
            uow.people.add(f"s{n}@faults.org", f"S{n}", "UTC", "en", [Role.STUDENT], now)
            for n in range(PEOPLE)
        ]
        notes = [
            Notification(f"m:{p.id}:{rank}", p.id, "checkin.prompt")
            for rank in range(EACH)
            for p in people
        ]
        uow.outbox.add_many(notes, now)
        uow.commit()
    return {n.idempotency_key: (n.recipient_id or 0, int(n.idempotency_key[-1])) for n in notes}


def worker(platform: FakePlatform) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "tests.outbox_worker_process", PG_URL, platform.url, "0"]
    return subprocess.Popen(
        [*command, "--loop", "--lease", str(LEASE), "--batch", "20"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition: object, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.02)  # polling the fake platform, not waiting for time to pass


@pytest.mark.skipif(not PG_URL, reason=PG_SKIP)
def test_two_workers_a_sigkill_and_a_faulty_platform_lose_and_double_nothing(
    pg_database: Database,
) -> None:
    erase(pg_database)
    messages = fan_out(pg_database)
    with FakePlatform(FAULTS) as platform:
        killed, survivor = worker(platform), worker(platform)
        wait_for(lambda: platform.total() >= len(messages) // 2, 60)  # mid-run
        os.kill(killed.pid, signal.SIGKILL)
        killed.wait(timeout=30)
        assert killed.returncode == -signal.SIGKILL
        assert platform.total() < len(messages), "the kill came too late to prove anything"
        restarted, restart = time.monotonic(), worker(platform)
        for process in (survivor, restart):
            _, err = process.communicate(timeout=90)
            assert process.returncode == 0, err
            assert "Traceback" not in err, err
        finished = max(platform.first_seen.values())
        answers = dict(platform.answers)
    assert set(platform.received) == set(messages)  # nothing lost
    doubled = [key for key, count in platform.received.items() if count > 1]
    assert len(doubled) <= 1, doubled  # only the message in flight at the kill
    assert finished - restarted < 30, f"{finished - restarted:.1f} s after the restart"
    ranks: dict[int, int] = {}
    for key in platform.order:  # each person's messages arrive in the order they were queued
        person, rank = messages[key]
        assert rank == ranks.get(person, -1) + 1, (key, ranks.get(person))
        ranks[person] = rank
    assert answers[429] > 300 and answers[500] > 60 and platform.slow_calls  # faults happened
    with pg_database.uow() as uow:
        assert uow.outbox.pending_count() == 0
    print(
        f"\nfaults: {answers}, {platform.slow_calls} slow, doubled {doubled}, "
        f"done {finished - restarted:.1f} s after the restart"
    )
