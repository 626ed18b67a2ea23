"""Repositories by aggregate: every query the core needs, returning plain domain values.

One module per aggregate (people, mentorships, sessions, conversations, alerts, checkins, paths,
outbox, jobs), mirrored by the protocols in bot/ports/; SqlUnitOfWork wires them on one session.
"""

from __future__ import annotations

from sqlalchemy.orm import Session as OrmSession


class Repository:
    """Works inside the unit of work's session: it flushes, the unit of work commits."""

    def __init__(self, db: OrmSession) -> None:
        self.db = db
