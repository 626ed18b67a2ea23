"""The disengagement job on more students than a batch (issue 13): the scan reads everyone
before anything is written, and the alerts are written a batch per transaction."""

from __future__ import annotations

from bot import scheduled
from storage.database import Database
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
