"""Units of work that only read never take the write lock; those that write still serialise;
the migration check at start reads the head from the files, and agrees with Alembic; a
flush of the ids a read remembers later means they are written."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError

from bot.clock import ManualClock
from bot.processed import ProcessedIds
from storage.database import MIGRATIONS, Database, alembic_config
from storage.schema_version import applied, at_head, heads
from tests.conftest import START

WAIT = 5.0  # seconds a thread that should finish gets; one that must wait is given 0.3


def in_thread(work: Callable[[], object]) -> threading.Thread:
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def count_people(database: Database, opened: Callable[[], object]) -> Callable[[], None]:
    def work() -> None:
        with opened() as uow:  # type: ignore[attr-defined]
            uow.people.count()

    return work


def test_a_read_proceeds_while_another_connection_holds_the_write_lock(
    sqlite_database: Database,
) -> None:
    """Another process (here: a raw connection) is in the middle of a write transaction."""
    database = sqlite_database
    with database.engine.connect() as writer:  # BEGIN IMMEDIATE: SQLite's write lock, held
        writer.execute(
            text("INSERT INTO processed_events VALUES ('test', 'held', '2026-11-23 09:00:00')")
        )
        reader = in_thread(count_people(database, database.reads))
        reader.join(WAIT)
        assert not reader.is_alive(), "a read waited for the write lock"
        blocked = in_thread(count_people(database, database.uow))
        blocked.join(0.3)
        assert blocked.is_alive(), "a writing unit of work must wait for the lock"
        writer.commit()
    blocked.join(WAIT)
    assert not blocked.is_alive()


def test_a_read_does_not_queue_behind_this_process_s_writer(sqlite_database: Database) -> None:
    """The process-wide lock that queues writers (no busy polling) is not for readers."""
    database = sqlite_database
    with database.uow() as uow:  # holds this process's write lock and SQLite's
        uow.people.add("w@x.org", "Writer", "UTC", "en", [])
        reader = in_thread(count_people(database, database.reads))
        reader.join(WAIT)
        assert not reader.is_alive(), "a read queued behind a writer of this process"
        uow.commit()


def test_a_writer_queues_others_from_its_first_statement_not_from_its_opening(
    sqlite_database: Database,
) -> None:
    """Opening a unit of work (and reading in `reads()` before writing, as the check-in job
    does with its scan of every student) queues no other writer; its first statement does."""
    database = sqlite_database

    def write(email: str) -> Callable[[], None]:
        def work() -> None:
            with database.uow() as other:
                other.people.add(email, "Other", "UTC", "en", [])
                other.commit()

        return work

    with database.uow() as uow:
        with uow.reads() as reads:
            reads.people.count()
        writer = in_thread(write("o1@x.org"))
        writer.join(WAIT)
        assert not writer.is_alive(), "a writer queued behind a unit of work not yet writing"
        uow.people.add("w@x.org", "Writer", "UTC", "en", [])
        blocked = in_thread(write("o2@x.org"))
        blocked.join(0.3)
        assert blocked.is_alive(), "a writer did not queue behind one that had begun"
        uow.commit()
    blocked.join(WAIT)
    with database.reads() as reading:
        assert reading.people.count() == 3


def test_a_read_sees_a_snapshot_not_a_half_written_transaction(database: Database) -> None:
    with database.uow() as uow:
        uow.people.add("a@x.org", "A", "UTC", "en", [])
        with database.reads() as reading:
            assert reading.people.count() == 0  # not committed yet
        uow.commit()
    with database.reads() as reading:
        assert reading.people.count() == 1


def test_a_write_in_a_reading_unit_of_work_is_refused(database: Database) -> None:
    """A command wrongly declared as a read fails loudly, on both databases."""
    with pytest.raises(DBAPIError), database.reads() as uow:
        uow.people.add("sneaky@x.org", "Sneaky", "UTC", "en", [])
    with database.reads() as uow:
        assert uow.people.count() == 0
    with database.uow() as uow:  # the same pooled connections write again afterwards
        uow.people.add("fine@x.org", "Fine", "UTC", "en", [])
        uow.commit()
    with database.reads() as uow:
        assert uow.people.count() == 1


def test_the_heads_read_from_the_files_are_alembic_s_own() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(Database("sqlite://").engine))
    assert heads(MIGRATIONS / "versions") == frozenset(script.get_heads())


def test_the_check_runs_alembic_only_when_the_schema_is_behind(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'fresh.db'}")
    versions = MIGRATIONS / "versions"
    assert applied(database.engine) is None and not at_head(database.engine, versions)
    database.upgrade()  # a fresh database: Alembic creates everything
    assert at_head(database.engine, versions)
    assert applied(database.engine) == heads(versions)
    from alembic import command

    command.downgrade(alembic_config(database.engine), "-1")  # as if a migration had just come
    assert applied(database.engine) and not at_head(database.engine, versions)
    database.upgrade()
    assert at_head(database.engine, versions)
    database.dispose()


def test_a_migration_file_that_cannot_be_read_for_sure_means_ask_alembic(tmp_path: Path) -> None:
    (tmp_path / "0001_a.py").write_text('revision = "0001"\ndown_revision = None\n')
    (tmp_path / "0002_b.py").write_text('revision = "0002"\ndown_revision = "0001"\n')
    assert heads(tmp_path) == {"0002"}
    (tmp_path / "0003_merge.py").write_text(
        'revision: str = "0003"\ndown_revision = ("0002", "0001")\n'
    )
    assert heads(tmp_path) == {"0003"}
    (tmp_path / "0004_c.py").write_text('revision = "0" + "004"\ndown_revision = "0003"\n')
    assert heads(tmp_path) is None  # computed, not a literal: Alembic decides


def test_what_follows_a_migration_s_first_definition_still_counts(tmp_path: Path) -> None:
    """Only a file's head is parsed (the check's time was its bodies), unless that could miss
    a variable: a "def" starting a line inside a string, a variable named again after it."""
    body = "\n\ndef upgrade() -> None:\n    pass\n"
    (tmp_path / "0001_a.py").write_text(f'revision = "0001"\ndown_revision = None{body}')
    note = 'NOTE = """\ndef in a string, at the start of a line\n"""\n'
    (tmp_path / "0002_b.py").write_text(f'revision = "0002"\n{note}down_revision = "0001"{body}')
    assert heads(tmp_path) == {"0002"}  # the head alone is no valid Python: all of it was read
    (tmp_path / "0003_c.py").write_text(
        f'revision = "0003"\ndown_revision = "0002"{body}revision = "0" + "003"\n'
    )
    assert heads(tmp_path) is None  # named again, computed: the whole file was read


def test_a_flush_waits_for_the_batch_the_writer_thread_is_writing(
    sqlite_database: Database,
) -> None:
    """`flush()` means written: the writer thread may have taken the pending ids a moment ago
    and be inside its commit; a flush finding nothing pending still waits for that commit."""
    database = sqlite_database
    committing, release = threading.Event(), threading.Event()

    def slow_commit(connection: object) -> None:
        if threading.current_thread().name == "processed-ids":
            committing.set()
            release.wait(WAIT)

    event.listen(database.engine, "commit", slow_commit)
    try:
        ids = ProcessedIds(database.uow, ManualClock(START))
        ids.later("slack", "replayed")
        assert committing.wait(WAIT), "the writer thread never wrote its batch"
        flushed = in_thread(ids.flush)
        flushed.join(0.3)
        assert flushed.is_alive(), "flush returned while the batch was still being written"
        release.set()
        flushed.join(WAIT)
        assert not flushed.is_alive()
        with database.reads() as uow:
            assert uow.events.seen("slack", "replayed")
    finally:
        release.set()
        event.remove(database.engine, "commit", slow_commit)
