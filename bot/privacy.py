"""A person's data on request: everything held about them as JSON, and their erasure.

Erasing keeps the facts anonymous counts are made of (sessions held, scores, confidences) and
removes what identifies the person or tells their story: name, email, chat accounts, the free
text of their questions, check-ins, notes and alerts, their messages. Their future sessions are
cancelled and the other party told (without the name). Who erased and when is recorded.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from bot.domain import Notification, Person, PersonStatus
from bot.ports import UnitOfWork
from bot.privacy_records import Erasure
from bot.services.invites import invite_file
from bot.settings import Settings

UPCOMING_SCANNED = 1000


def export_person(uow: UnitOfWork, person: Person, now: datetime) -> bytes:
    """Every row that names the person, table by table, as UTF-8 JSON."""
    document = {
        "exported_at": now.isoformat(),
        "person_id": person.id,
        "tables": uow.privacy.person_data(person.id),
    }
    return json.dumps(document, default=_plain, ensure_ascii=False, indent=2).encode("utf-8")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return str(value)


def erase_person(
    uow: UnitOfWork,
    person: Person,
    now: datetime,
    settings: Settings,
    *,
    by: str,
    by_id: int | None = None,
) -> dict[str, int]:
    """Erase in the caller's transaction (it commits); returns what was erased, by kind."""
    cancelled = _cancel_future_sessions(uow, person, now, by_id)
    counts = uow.privacy.erase_person(person.id, settings.timezone)
    _tell_the_other_party(uow, person, cancelled, now)  # after: the invites name nobody
    counts = {"sessions_cancelled": len(cancelled), **counts}
    uow.privacy.record(Erasure("person", now, by, person.id, by_id, counts))
    return counts


def is_erased(person: Person) -> bool:
    return person.status == PersonStatus.ERASED


def _cancel_future_sessions(
    uow: UnitOfWork, person: Person, now: datetime, by_id: int | None
) -> list[int]:
    upcoming = uow.sessions.upcoming(person.id, now, UPCOMING_SCANNED)
    starting = [s for s in upcoming if s.starts_at > now]
    for session in starting:
        uow.sessions.cancel(session.id, by_id or person.id, now, late=False)
    return [s.id for s in starting]


def _tell_the_other_party(
    uow: UnitOfWork, person: Person, session_ids: list[int], now: datetime
) -> None:
    """Each cancelled session's other party: a message, and the invite's cancellation so their
    calendar drops it (its attendee is the erased placeholder, not the person)."""
    for session_id in session_ids:
        session = uow.sessions.get(session_id)
        if session is None:
            continue
        other = session.host_id if session.student_id == person.id else session.student_id
        reader = uow.people.get(other)
        if reader is None:
            continue
        notice = Notification(
            f"erased-cancel:{session.id}",
            other,
            "privacy.session_cancelled",
            {"id": session.id, "when": session.starts_at},
            attachments=(invite_file(uow, session, reader, now),),
        )
        uow.outbox.add(notice, now)


def retention(uow: UnitOfWork, now: datetime, settings: Settings) -> int:
    """The daily job: free text older than MENTORBOT_RETENTION_DAYS is erased (unset: kept)."""
    if settings.retention_days is None:
        return 0
    counts = uow.privacy.erase_older_than(now - timedelta(days=settings.retention_days))
    erased = sum(counts.values())
    if erased:
        uow.privacy.record(Erasure("retention", now, "retention job", counts=counts))
    uow.commit()
    return erased
