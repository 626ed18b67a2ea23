"""Repositories by aggregate: every query the core needs, returning plain domain values.

One module per aggregate (people, mentorships, sessions, conversations, alerts, checkins, paths,
outbox, jobs), mirrored by the protocols in bot/ports/; SqlUnitOfWork wires them on one session.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession

from storage.models import ProcessedEventRow


class Repository:
    """Works inside the unit of work's session: it flushes, the unit of work commits."""

    def __init__(self, db: OrmSession) -> None:
        self.db = db


class ProcessedEventsRepository(Repository):
    def first_time(self, platform: str, event_id: str, at: datetime) -> bool:
        """Record an event id; False if it was already there (a platform retry)."""
        seen = self.db.get(ProcessedEventRow, (platform, event_id))
        if seen is not None:
            return False
        try:
            with self.db.begin_nested():
                self.db.add(ProcessedEventRow(platform=platform, event_id=event_id, received_at=at))
                self.db.flush()
        except IntegrityError:
            return False
        return True

    def forget_before(self, at: datetime) -> int:
        result = self.db.execute(
            delete(ProcessedEventRow).where(ProcessedEventRow.received_at < at)
        )
        return int(getattr(result, "rowcount", 0) or 0)
