"""Buttons as a release before actions wrote them: their value a command line (`/alerts ack 7`),
kept as such in queued notifications. Tests post them, then click them with this release."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain import Notification
from storage.database import Database
from storage.models import NotificationRow

HOSTILE_TEXT = (  # what was lost when text went through a command line: `|`, ` -- `, `¦`
    "Rappel -- lundi | mardi ¦ mercredi, a|b, c -- d, « ok » & fin. " + "long " * 180
).strip()


def queue_with_legacy_choices(
    database: Database, notification: Notification, lines: list[tuple[str, str]], now: datetime
) -> None:
    """Queue `notification` with the choices an older release stored: (label key, line)."""
    with database.uow() as uow:
        uow.outbox.add(notification, now)
        uow.commit()
    legacy = [{"$choice": line, "label": {"$text": key, "params": {}}} for key, line in lines]
    key = notification.idempotency_key
    with Session(database.engine) as session, session.begin():
        row = session.scalars(
            select(NotificationRow).where(NotificationRow.idempotency_key == key)
        ).one()
        row.payload = {**row.payload, "choices": legacy}
