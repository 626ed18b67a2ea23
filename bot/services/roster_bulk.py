"""The roster's work in bulk: identity conflicts checked against what is read once, and the new
people (most of a first import) created a chunk of rows per statement. A school's roster of
100,000 rows imports in seconds, still all or nothing (the caller's one transaction)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from bot.domain import NewPerson, Person, Role
from bot.ports import UnitOfWork
from bot.replies import Text

if TYPE_CHECKING:
    from bot.services.roster import RosterRow

Progress = Callable[[int, int], None]  # (rows done, rows in all)
CHUNK = 5_000
Rejected = tuple[int, str, Text]


def identity_conflicts(
    uow: UnitOfWork, rows: list[RosterRow], existing: Mapping[str, Person]
) -> list[Rejected]:
    """Rows that would move a chat account to another person, or give a person a second one.

    An account changes owner only by `mentorbot roster unlink`: re-linking it silently would let
    the first person's account act as the second. Owners and current accounts are read once."""
    wanted: dict[str, set[str]] = {}
    for row in rows:
        for platform, external_id in row.identities:
            wanted.setdefault(platform, set()).add(external_id)
    owners = {p: uow.identities.owners(p, ids) for p, ids in wanted.items()}
    current = uow.identities.of_people([p.id for p in existing.values()]) if wanted else {}
    rejected: list[Rejected] = []
    first_line: dict[tuple[str, str], int] = {}
    for row in rows:
        person = existing.get(row.email)
        for platform, external_id in row.identities:
            line = first_line.setdefault((platform, external_id), row.line)
            owner = owners[platform].get(external_id)
            now_linked = current.get((person.id, platform)) if person else None
            if line != row.line:
                reason = _conflict("duplicate_identity", platform, external_id, line=line)
            elif owner is not None and owner != row.email:
                reason = _conflict("identity_taken", platform, external_id, owner=owner)
            elif now_linked is not None and now_linked != external_id:
                reason = _conflict("identity_differs", platform, external_id, current=now_linked)
            else:
                continue
            rejected.append((row.line, row.email, reason))
    return rejected


def _conflict(key: str, platform: str, external_id: str, **detail: object) -> Text:
    """Its parameters built only for a conflict (not for each of 100,000 accounts checked)."""
    return Text(f"roster.{key}", {"platform": platform, "value": external_id, **detail})


def create_new(
    uow: UnitOfWork,
    rows: list[RosterRow],
    known: Mapping[str, Person],
    now: datetime,
    progress: Progress | None = None,
) -> list[Person]:
    """Create the rows' people (none exists yet), their accounts and, for students, their
    mentorships, CHUNK rows at a time; mentors come first in `rows`, or are `known`. Returns
    the people created, in the rows' order."""
    mentor_ids = {email: person.id for email, person in known.items()}
    created: list[Person] = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        ids = uow.people.add_many(
            [NewPerson(r.email, r.name, r.timezone, r.locale, r.roles) for r in chunk], now
        )
        mentor_ids.update(ids)
        uow.identities.add_many(
            [(ids[r.email], platform, account) for r in chunk for platform, account in r.identities]
        )
        uow.mentorships.add_many(
            [
                (
                    ids[r.email],
                    mentor_ids[r.mentor_email],
                    r.path,
                    r.session_minutes,
                    r.sessions_per_week,
                )
                for r in _students(chunk)
            ]
        )
        created += [
            Person(ids[r.email], r.email, r.name, r.timezone, r.locale, r.roles) for r in chunk
        ]
        _tick(progress, start + len(chunk), len(rows))
    if len(rows) >= CHUNK:
        uow.people.bulk_loaded()  # the database's planner sees the new rows
    return created


def _students(rows: Iterable[RosterRow]) -> Iterable[RosterRow]:
    return (r for r in rows if Role.STUDENT in r.roles)


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)
