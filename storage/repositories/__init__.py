"""Repositories by aggregate: every query the core needs, returning plain domain values.

One module per aggregate (people, mentorships, sessions, conversations, alerts, checkins, paths,
outbox, jobs), mirrored by the protocols in bot/ports/; SqlUnitOfWork wires them on one session.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy.orm import Session as OrmSession

IN_CHUNK = 5_000  # ids per IN (...): far below SQLite's 32,766 bound parameters


def in_chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    """`ids` (sorted, once each) a chunk per statement, so that a school's worth of them stays
    a few statements and never overflows a driver's parameter limit."""
    unique = sorted(set(ids))
    for start in range(0, len(unique), IN_CHUNK):
        yield unique[start : start + IN_CHUNK]


class Repository:
    """Works inside the unit of work's session: it flushes, the unit of work commits."""

    def __init__(self, db: OrmSession) -> None:
        self.db = db
