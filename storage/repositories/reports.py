"""Facts over a period for the advisors' overview, the weekly trends and the CSV exports.

Whole periods in a few queries (a programme of a few hundred students has a few thousand
sessions a quarter); the counting itself is the core's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, tuple_

from bot.domain import (
    Alert,
    Checkin,
    Mentorship,
    Person,
    PersonStatus,
    Role,
    Session,
    SessionNotes,
    SessionStatus,
)
from storage.models import (
    AlertRow,
    CheckinRow,
    MentorshipRow,
    PersonRoleRow,
    PersonRow,
    SessionNotesRow,
    SessionRow,
)
from storage.repositories import Repository
from storage.repositories.alerts import LIVE_ALERT, _alert
from storage.repositories.checkins import _checkin
from storage.repositories.mentorships import _mentorship
from storage.repositories.people import _person
from storage.repositories.sessions import _notes, session_from_row


class ReportsRepository(Repository):
    def sessions(self, since: datetime, until: datetime) -> list[Session]:
        """Every session (any kind, any status) starting in [since, until)."""
        rows = self.db.scalars(
            select(SessionRow)
            .where(SessionRow.starts_at >= since, SessionRow.starts_at < until)
            .order_by(SessionRow.starts_at, SessionRow.id)
        )
        return [session_from_row(r) for r in rows]

    def notes(self, session_ids: Sequence[int]) -> dict[int, SessionNotes]:
        found: dict[int, SessionNotes] = {}
        ids = list(session_ids)
        for start in range(0, len(ids), 500):  # bounded IN lists
            rows = self.db.scalars(
                select(SessionNotesRow).where(
                    SessionNotesRow.session_id.in_(ids[start : start + 500])
                )
            )
            found.update({r.session_id: _notes(r) for r in rows})
        return found

    def checkins_of_weeks(self, weeks: Sequence[tuple[int, int]]) -> list[Checkin]:
        """Check-ins filed under these ISO weeks (each student's own week)."""
        if not weeks:
            return []
        rows = self.db.scalars(
            select(CheckinRow).where(
                tuple_(CheckinRow.iso_year, CheckinRow.iso_week).in_(list(weeks))
            )
        )
        return [_checkin(r) for r in rows]

    def checkins_sent(self, since: datetime, until: datetime) -> list[Checkin]:
        rows = self.db.scalars(
            select(CheckinRow)
            .where(CheckinRow.sent_at >= since, CheckinRow.sent_at < until)
            .order_by(CheckinRow.sent_at, CheckinRow.id)
        )
        return [_checkin(r) for r in rows]

    def live_alerts(self) -> list[Alert]:
        rows = self.db.scalars(
            select(AlertRow).where(AlertRow.status.in_(LIVE_ALERT)).order_by(AlertRow.id)
        )
        return [_alert(r) for r in rows]

    def alerts_raised(self, since: datetime, until: datetime) -> list[Alert]:
        rows = self.db.scalars(
            select(AlertRow)
            .where(AlertRow.created_at >= since, AlertRow.created_at < until)
            .order_by(AlertRow.created_at, AlertRow.id)
        )
        return [_alert(r) for r in rows]

    def mentorships(self) -> list[Mentorship]:
        return [_mentorship(r) for r in self.db.scalars(select(MentorshipRow))]

    def people(self, *roles: Role) -> list[Person]:
        """Active people with one of these roles, with all their roles: two queries, not one
        per person (a school has hundreds)."""
        ids = select(PersonRoleRow.person_id).where(
            PersonRoleRow.role.in_([r.value for r in roles])
        )
        rows = list(
            self.db.scalars(
                select(PersonRow)
                .where(PersonRow.id.in_(ids), PersonRow.status == PersonStatus.ACTIVE.value)
                .order_by(PersonRow.id)
            )
        )
        held: dict[int, list[str]] = defaultdict(list)
        for person_id, role in self.db.execute(
            select(PersonRoleRow.person_id, PersonRoleRow.role).where(
                PersonRoleRow.person_id.in_(ids)
            )
        ):
            held[person_id].append(role)
        return [_person(row, held[row.id]) for row in rows]

    def unnoted(self, ended_since: datetime, now: datetime) -> list[Session]:
        """Sessions that ended since then and are still booked: no attendance recorded."""
        rows = self.db.scalars(
            select(SessionRow).where(
                SessionRow.ends_at >= ended_since,
                SessionRow.ends_at <= now,
                SessionRow.status == SessionStatus.BOOKED.value,
            )
        )
        return [session_from_row(r) for r in rows]
