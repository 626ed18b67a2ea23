"""Counting the SQL statements a piece of work sends (an engine event listener: counting, not
mocking). Statement counts are stable where timings are not, so tests bound them; the benches
print them beside the times."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event

# Transaction control is not a query: SQLite's explicit BEGIN IMMEDIATE would otherwise make
# the same work cost one more statement there than on PostgreSQL (whose driver begins silently).
CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
WRITES = ("INSERT", "UPDATE", "DELETE")
_PART = re.compile(r"\bAS \((INSERT|UPDATE|DELETE)\b", re.IGNORECASE)  # "name AS (INSERT …"


def _writing_part(statement: str) -> bool:
    return statement[:4].upper() == "WITH" and _PART.search(statement) is not None


class Statements(list[str]):
    """The statements sent, in order (executemany counts once: one round trip of one statement),
    with their parameters in `sent` (to EXPLAIN one as it was run)."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, Any]] = []

    def writes(self) -> list[str]:
        """The statements that write, a WITH with a part that does (PostgreSQL's) included."""
        return [s for s in self if s.split(None, 1)[0].upper() in WRITES or _writing_part(s)]

    def __str__(self) -> str:
        return "\n".join(f"{n}. {s[:160]}" for n, s in enumerate(self, 1))


@contextmanager
def counting(engine: Engine) -> Iterator[Statements]:
    seen = Statements()

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(CONTROL):
            seen.append(" ".join(statement.split()))
            seen.sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
