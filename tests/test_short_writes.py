"""The weekly digest and `/export` read and build in a reading unit of work: their write
transactions hold the outbox rows only (on SQLite the one write lock was held through the
chart's drawing and the CSV's build, 0.3-2 s, and every command waited). Seen with an engine
listener that notes whether each statement ran on a writing connection; on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event

from bot import scheduled
from storage.database import WRITES
from tests.conftest import Programme
from tests.programme_facts import build


@contextmanager
def by_connection(engine: Engine) -> Iterator[list[tuple[bool, str]]]:
    """(written on a writing connection?, statement) for each statement sent."""
    seen: list[tuple[bool, str]] = []

    def record(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        words = " ".join(statement.split())
        if not words.upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
            seen.append((conn.get_execution_options().get(WRITES, True), words))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_the_digest_writes_only_its_outbox_rows(programme: Programme) -> None:
    build(programme)
    settings = programme.core.settings
    with programme.database.uow() as uow, by_connection(programme.database.engine) as seen:
        assert scheduled.JOBS["digest"](uow, programme.clock.now(), settings) == 1
    written = [s for writes, s in seen if writes]
    assert written and all(s.startswith("INSERT INTO outbox") for s in written), written
    read = [s for writes, s in seen if not writes]
    assert any("FROM sessions" in s for s in read), read  # the week's facts and the chart's


def test_an_export_is_built_from_a_snapshot(programme: Programme) -> None:
    build(programme)
    with by_connection(programme.database.engine) as seen:
        reply = programme.ok("advisor", "/export sessions 2026-11-23 2026-12-06")
    assert reply.lines[0].key == "export.queued"
    exported = [(writes, s) for writes, s in seen if "FROM sessions" in s]
    assert exported and not any(writes for writes, _ in exported), exported
    written = [s for writes, s in seen if writes and s.startswith(("INSERT", "UPDATE"))]
    assert any(s.startswith("INSERT INTO outbox") for s in written), written
