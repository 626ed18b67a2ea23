"""The outbox at the size of a school: finished rows (sent, failed, discarded) and parked ones
cost nothing to a claim (partial indexes, checked with EXPLAIN), and the daily `pruned` job
deletes what was sent or given up longer ago than MENTORBOT_OUTBOX_RETENTION_DAYS. On SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import func, insert, select

from bot import scheduled
from bot.domain import Notification
from storage.database import Database
from storage.models import NotificationRow
from tests.conftest import make_settings
from tests.statements import counting

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def rows(count: int, start: int, **state: object) -> list[dict[str, object]]:
    return [
        {
            "idempotency_key": f"bulk:{start + n}",
            "recipient_id": None,
            "channel": f"history-{start + n}",
            "payload": {"key": "digest.none", "params": {}, "choices": []},
            "attempts": 1,
            "next_attempt_at": NOW - timedelta(days=60),
            "created_at": NOW - timedelta(days=60),
            **state,
        }
        for n in range(count)
    ]


def finished_history(database: Database, count: int, at: datetime) -> None:
    """`count` sent, `count` failed and `count` parked rows."""
    with database.engine.begin() as connection:
        connection.execute(insert(NotificationRow), rows(count, 0, sent_at=at))
        connection.execute(
            insert(NotificationRow), rows(count, count, failed_at=at, last_error="discarded")
        )
        connection.execute(
            insert(NotificationRow), rows(count, 2 * count, parked_at=at, last_error="nowhere")
        )


def queue(database: Database, key: str) -> None:
    with database.uow() as uow:
        uow.outbox.add(Notification(key, None, "digest.none", channel="advisors"), NOW)
        uow.commit()


def claim_plan(database: Database) -> str:
    with database.uow() as uow, counting(database.engine) as sent:
        claimed = uow.outbox.claim_due(NOW, 50, 30, owner="w")
    assert [c.notification.idempotency_key for c in claimed] == ["new"]
    statement, parameters = next(s for s in sent.sent if "FROM outbox" in s[0])
    with database.engine.connect() as connection:
        raw = connection.connection.cursor()
        if database.engine.dialect.name == "postgresql":
            raw.execute("ANALYZE outbox")
            raw.execute(f"EXPLAIN {statement}", parameters)
        else:
            raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
        return "\n".join(str(row[-1]) for row in raw.fetchall())


def test_a_claim_reads_no_finished_or_parked_row(database: Database) -> None:
    finished_history(database, 5_000, NOW - timedelta(days=1))
    queue(database, "new")
    plan = claim_plan(database)
    assert "ix_outbox_claimable" in plan, plan
    if database.engine.dialect.name == "postgresql":
        assert "Seq Scan on outbox" not in plan, plan


def pending_keys(database: Database) -> set[str]:
    with database.engine.connect() as connection:
        return set(connection.scalars(select(NotificationRow.idempotency_key)))


def run_pruned(database: Database, at: datetime, **settings: object) -> None:
    with database.uow() as uow:
        scheduled.JOBS["pruned"](uow, at, make_settings("sqlite://", **settings))


def test_the_daily_job_prunes_what_was_finished_before_the_retention(database: Database) -> None:
    finished_history(database, 3, NOW - timedelta(days=31))  # past 30 days: pruned
    queue(database, "new")
    with database.engine.begin() as connection:
        connection.execute(insert(NotificationRow), rows(2, 100, sent_at=NOW - timedelta(days=29)))
    run_pruned(database, NOW, outbox_retention_days=30)
    kept = pending_keys(database)
    # The parked ones wait for their recipient (never pruned), the recent and the new stay.
    assert kept == {"new", "bulk:100", "bulk:101", "bulk:6", "bulk:7", "bulk:8"}
    run_pruned(database, NOW + timedelta(days=2), outbox_retention_days=30)
    assert pending_keys(database) == {"new", "bulk:6", "bulk:7", "bulk:8"}


def test_pruning_goes_a_batch_per_transaction(database: Database) -> None:
    finished_history(database, 2_500, NOW - timedelta(days=40))
    with database.uow() as uow, counting(database.engine) as sent:
        scheduled.JOBS["pruned"](uow, NOW, make_settings("sqlite://"))
    deletes = [s for s in sent if s.startswith("DELETE")]
    # 5,000 finished rows: as many full batches as fit, then the rest (or an empty last one).
    full, _ = divmod(5_000, scheduled.BATCH)
    assert full >= 2 and len(deletes) == full + 1
    with database.engine.connect() as connection:
        left = connection.scalar(select(func.count()).select_from(NotificationRow))
    assert left == 2_500  # the parked ones


def test_the_retention_outlasts_the_jobs_look_back() -> None:
    with pytest.raises(ValidationError, match="at least 7 days"):
        make_settings("sqlite://", outbox_retention_days=3)


def test_a_claim_still_running_holds_back_the_queues_later_rows(pg_database: Database) -> None:
    """Two workers claim at once: the first has locked a queue's oldest row and not committed
    yet (so the row still looks free); the second skips it (SKIP LOCKED) and must not take
    the rows behind it, or they would be sent first."""
    for key in ("first", "second"):
        queue(pg_database, key)
    with pg_database.uow() as first:
        assert [
            q.notification.idempotency_key for q in first.outbox.claim_due(NOW, 1, 30, owner="a")
        ] == ["first"]
        with pg_database.uow() as second:
            assert second.outbox.claim_due(NOW, 50, 30, owner="b") == []
        first.commit()
    with pg_database.uow() as later:
        assert later.outbox.claim_due(NOW, 50, 30, owner="b") == []  # "first" is leased
