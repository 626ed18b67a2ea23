"""The disengagement job on more students than a batch (issue 13): the scan reads everyone
before anything is written, and the alerts are written a batch per transaction."""

from __future__ import annotations

from sqlalchemy import select

from bot import scheduled
from storage.database import Database
from storage.models import AlertEventRow, AlertRow, NotificationRow
from tests.conftest import make_settings
from tests.statements import counting
from tests.test_job_scale import NOW, SMALL, erase_all, quiet_school


def test_disengagement_writes_a_batch_at_a_time_after_reading_everyone(
    database: Database,
) -> None:
    """One more flagged student than a batch costs twice a few students' writes, all of them
    after the last read of the scan, and nothing but writes."""
    settings = make_settings("sqlite://", school_holidays="2026-10-26:2026-10-30")
    with database.uow() as uow:  # SQLite's 500; on PostgreSQL, where no command waits, 5,000
        batch = uow.alerts.batch_size(scheduled.BATCH)
    assert batch == scheduled.BATCH * (10 if database.engine.dialect.name == "postgresql" else 1)
    writes = []
    for size in (SMALL, batch + 1):
        erase_all(database)
        quiet_school(database, size)
        with database.uow() as uow, counting(database.engine) as sent:
            assert scheduled.JOBS["disengagement"](uow, NOW, settings) == size
        first = sent.index(sent.writes()[0])
        assert all(s.startswith("SELECT") for s in sent[:first]), str(sent)
        # Each batch's transaction, SQLite's write lock held, only writes: the posts' names
        # were read with the scan. (PostgreSQL's sets its transaction's settings first.)
        batches = [s for s in sent[first:] if not s.startswith("SELECT set_config(")]
        assert batches == sent.writes(), str(sent)
        writes.append([s[:60] for s in batches])
    few, two_batches = writes
    assert len(two_batches) == 2 * len(few), f"{few}\n{two_batches}"


def test_batches_raised_beside_each_other_keep_one_writers_order(database: Database) -> None:
    """Two batches, written on two units of work at once on PostgreSQL (a batch's posts
    beside the next batch's alerts): every row where one writer puts it: the alerts' ids with no
    gap, one per student, each alert's event and post in the same order after those
    of the alerts before it, whichever batch wrote them."""
    settings = make_settings("sqlite://")
    with database.uow() as uow:
        batch = uow.alerts.batch_size(scheduled.BATCH)
        writers = uow.writers()
    assert writers == (2 if database.engine.dialect.name == "postgresql" else 1)
    erase_all(database)
    quiet_school(database, batch + 3)
    with database.uow() as uow:
        assert scheduled.JOBS["disengagement"](uow, NOW, settings) == batch + 3
    with database.engine.connect() as connection:
        alerts = connection.execute(select(AlertRow.id, AlertRow.student_id).order_by("id"))
        ids, students = zip(*alerts.all(), strict=True)
        events = connection.scalars(select(AlertEventRow.alert_id).order_by("id")).all()
        keys = select(NotificationRow.idempotency_key).order_by("id")
        posts = connection.scalars(
            keys.where(NotificationRow.idempotency_key.like("alert:%"))
        ).all()
    first = ids[0]
    assert list(ids) == list(range(first, first + batch + 3))
    assert len(set(students)) == batch + 3
    assert events == list(ids)
    assert posts == [f"alert:{i}:post:advisors:console" for i in ids]
