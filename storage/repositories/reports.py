"""Facts over a period for the advisors' overview, the weekly trends and the CSV exports.

Whole periods in a few queries (a programme of a few hundred students has a few thousand
sessions a quarter); the counting itself is the core's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, case, func, select, tuple_

from bot.domain import (
    Alert,
    AlertCategory,
    Checkin,
    Mentorship,
    Person,
    PersonStatus,
    Role,
    Session,
    SessionNotes,
    SessionStatus,
)
from bot.ports.reports import CheckinTally, LiveAlerts, SessionTally
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

    def mentoring_by_week(self, weeks: Sequence[tuple[datetime, datetime]]) -> list[SessionTally]:
        """Each week's mentoring sessions held and missed, counted by the database in one
        statement (the weekly chart's: a school's twelve weeks are rows by the hundred thousand)."""
        if not weeks:
            return []
        week = case(
            *(
                (and_(SessionRow.starts_at >= start, SessionRow.starts_at < end), n)
                for n, (start, end) in enumerate(weeks)
            ),
            else_=-1,
        )
        held = func.sum(case((SessionRow.status == "done", 1), else_=0))
        late = and_(SessionRow.status == "cancelled", SessionRow.late_cancellation.is_(True))
        missed = func.sum(case((SessionRow.status == "no_show", 1), (late, 1), else_=0))
        rows = self.db.execute(
            select(week.label("week"), held, missed)
            .where(
                SessionRow.kind == "mentoring",
                SessionRow.starts_at >= weeks[0][0],
                SessionRow.starts_at < weeks[-1][1],
            )
            .group_by("week")
        )
        found = {n: SessionTally(int(h or 0), int(m or 0)) for n, h, m in rows}
        return [found.get(n, SessionTally(0, 0)) for n in range(len(weeks))]

    def checkins_by_week(
        self, weeks: Sequence[tuple[int, int]]
    ) -> dict[tuple[int, int], CheckinTally]:
        """`checkins_of_weeks` counted by the database: sent, answered, the confidences."""
        if not weeks:
            return {}
        c = CheckinRow
        answered = and_(c.sent_at.is_not(None), c.answered_at.is_not(None))
        scored = and_(answered, c.confidence.is_not(None))
        rows = self.db.execute(
            select(
                c.iso_year,
                c.iso_week,
                func.count(c.sent_at),
                func.sum(case((answered, 1), else_=0)),
                func.sum(case((scored, c.confidence), else_=0)),
                func.sum(case((scored, 1), else_=0)),
            )
            .where(tuple_(c.iso_year, c.iso_week).in_(list(weeks)))
            .group_by(c.iso_year, c.iso_week)
        )
        return {
            (year, number): CheckinTally(int(s or 0), int(a or 0), int(t or 0), int(n or 0))
            for year, number, s, a, t, n in rows
        }

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

    def live_alert_names(self, limit: int) -> LiveAlerts:
        """The live alerts counted, the students at risk counted, and the names of the latest
        `limit` of those students (a "?" for a person gone): one statement, whatever their
        number. The counts are window functions, taken before the LIMIT."""
        at_risk = AlertRow.category == AlertCategory.DISENGAGEMENT.value
        query = (
            select(
                at_risk,
                PersonRow.name,
                func.count().over(),
                func.sum(case((at_risk, 1), else_=0)).over(),
            )
            .outerjoin(PersonRow, PersonRow.id == AlertRow.student_id)
            .where(AlertRow.status.in_(LIVE_ALERT))
            .order_by(~at_risk, AlertRow.id.desc())  # the disengaged first, the latest first
            .limit(limit)
        )
        rows = self.db.execute(query).all()
        if not rows:
            return LiveAlerts(0, 0, [])
        names = [name or "?" for disengaged, name, _, _ in rows if disengaged]
        return LiveAlerts(int(rows[0][2]), int(rows[0][3]), names)

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
