"""The advisors' lists, a page at a time: a count, the page's rows, then what the page shows
about them in one statement per fact (names, second reports, sessions, check-ins, projects,
alerts), never one per row."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from bot.domain import PersonStatus, ProjectStatus, Role, SessionStatus
from bot.ports.advising import AlertFilter, AlertPage, StudentFacts, StudentFilter, StudentPage
from storage.models import (
    AlertEventRow,
    AlertRow,
    CheckinRow,
    IdentityRow,
    MentorshipRow,
    PathProjectRow,
    PersonRoleRow,
    PersonRow,
    SessionRow,
    StudentProjectRow,
)
from storage.repositories import Repository
from storage.repositories.alerts import LIVE_ALERT, _alert

CONFIDENCES = 4  # the trend: the last four answered check-ins
CURRENT = [s.value for s in ProjectStatus if s not in (ProjectStatus.VALIDATED,)]
CURRENT.remove(ProjectStatus.NOT_STARTED.value)
HELD = [SessionStatus.DONE.value, SessionStatus.NO_SHOW.value, SessionStatus.BOOKED.value]


class AdvisingRepository(Repository):
    def alert_page(self, which: AlertFilter, offset: int, limit: int) -> AlertPage:
        query = _alerts_where(select(AlertRow), which)
        total = self.db.scalar(_alerts_where(select(func.count(AlertRow.id)), which)) or 0
        rows = list(self.db.scalars(query.order_by(AlertRow.id.desc()).offset(offset).limit(limit)))
        alerts = [_alert(r) for r in rows]
        named = {a.student_id for a in alerts}
        named |= {p for a in alerts for p in (a.raised_by, a.acknowledged_by, a.resolved_by) if p}
        return AlertPage(alerts, total, self._names(named), self._again([a.id for a in alerts]))

    def _names(self, ids: Collection[int]) -> dict[int, str]:
        if not ids:
            return {}
        rows = self.db.execute(select(PersonRow.id, PersonRow.name).where(PersonRow.id.in_(ids)))
        return {pid: name for pid, name in rows}

    def _again(self, alert_ids: list[int]) -> dict[int, str]:
        """Each alert's latest second report's summary (its `reported_again` event's note)."""
        if not alert_ids:
            return {}
        rows = self.db.execute(
            select(AlertEventRow.alert_id, AlertEventRow.note)
            .where(
                AlertEventRow.alert_id.in_(alert_ids),
                AlertEventRow.action == "reported_again",
                AlertEventRow.note.is_not(None),
            )
            .order_by(AlertEventRow.id)
        )
        return {alert_id: note or "" for alert_id, note in rows}  # the latest wins

    def student_page(
        self, which: StudentFilter, now: datetime, offset: int, limit: int
    ) -> StudentPage:
        mentor = aliased(PersonRow)
        base = (
            select(PersonRow.id)
            .join(PersonRoleRow, PersonRoleRow.person_id == PersonRow.id)
            .outerjoin(MentorshipRow, MentorshipRow.student_id == PersonRow.id)
            .where(
                PersonRoleRow.role == Role.STUDENT.value,
                PersonRow.status != PersonStatus.ERASED.value,
            )
        )
        base = _students_where(base, which)
        total = self.db.scalar(select(func.count()).select_from(base.subquery())) or 0
        rows = self.db.execute(
            base.add_columns(PersonRow.name, PersonRow.status, mentor.name, MentorshipRow.path)
            .outerjoin(mentor, mentor.id == MentorshipRow.mentor_id)
            .order_by(func.lower(PersonRow.name), PersonRow.id)
            .offset(offset)
            .limit(limit)
        ).all()
        ids = [r[0] for r in rows]
        facts = _Facts(self, ids, now)
        students = [
            StudentFacts(
                sid,
                name,
                PersonStatus(status),
                mentor_name,
                path or None,
                facts.projects.get(sid),
                facts.sessions.get(sid),
                facts.checkins.get(sid, (None, ()))[0],
                facts.checkins.get(sid, (None, ()))[1],
                facts.alerts.get(sid, 0),
            )
            for sid, name, status, mentor_name, path in rows
        ]
        return StudentPage(students, total)


class _Facts:
    """What a page of students shows, one statement per fact for the whole page."""

    def __init__(self, repo: AdvisingRepository, ids: list[int], now: datetime) -> None:
        db = repo.db
        self.sessions: dict[int, datetime] = {}
        self.checkins: dict[int, tuple[datetime | None, tuple[int, ...]]] = {}
        self.projects: dict[int, str] = {}
        self.alerts: dict[int, int] = {}
        if not ids:
            return
        self.sessions = dict(
            db.execute(
                select(SessionRow.student_id, func.max(SessionRow.starts_at))
                .where(
                    SessionRow.student_id.in_(ids),
                    SessionRow.starts_at <= now,
                    SessionRow.status.in_(HELD),
                )
                .group_by(SessionRow.student_id)
            ).all()
        )
        self.alerts = dict(
            db.execute(
                select(AlertRow.student_id, func.count(AlertRow.id))
                .where(AlertRow.student_id.in_(ids), AlertRow.status.in_(LIVE_ALERT))
                .group_by(AlertRow.student_id)
            ).all()
        )
        self._checkins(repo, ids)
        self._projects(repo, ids)

    def _checkins(self, repo: AdvisingRepository, ids: list[int]) -> None:
        newest = (
            func.row_number()
            .over(partition_by=CheckinRow.student_id, order_by=CheckinRow.answered_at.desc())
            .label("newest")
        )
        ranked = (
            select(CheckinRow.student_id, CheckinRow.answered_at, CheckinRow.confidence, newest)
            .where(CheckinRow.student_id.in_(ids), CheckinRow.answered_at.is_not(None))
            .subquery()
        )
        rows = repo.db.execute(
            select(ranked.c.student_id, ranked.c.answered_at, ranked.c.confidence)
            .where(ranked.c.newest <= CONFIDENCES)
            .order_by(ranked.c.student_id, ranked.c.newest.desc())
        )
        for sid, answered_at, confidence in rows:
            _, trend = self.checkins.get(sid, (None, ()))
            trend += (confidence,) if confidence is not None else ()
            self.checkins[sid] = (answered_at, trend)  # oldest first: the last is the latest

    def _projects(self, repo: AdvisingRepository, ids: list[int]) -> None:
        """The earliest project begun and not validated; until anything is recorded, the
        path's first (as `bot.services.paths.standing` says)."""
        rows = repo.db.execute(
            select(
                StudentProjectRow.student_id,
                StudentProjectRow.status,
                PathProjectRow.code,
                PathProjectRow.title,
            )
            .join(MentorshipRow, MentorshipRow.student_id == StudentProjectRow.student_id)
            .join(
                PathProjectRow,
                and_(
                    PathProjectRow.path == MentorshipRow.path,
                    PathProjectRow.position == StudentProjectRow.position,
                ),
            )
            .where(StudentProjectRow.student_id.in_(ids))
            .order_by(StudentProjectRow.student_id, StudentProjectRow.position.desc())
        ).all()
        for sid, status, code, title in rows:
            if status in CURRENT:
                self.projects[sid] = f"{code} {title}"  # the earliest wins
        recorded = {row[0] for row in rows}
        self._first_projects(repo, [sid for sid in ids if sid not in recorded])

    def _first_projects(self, repo: AdvisingRepository, ids: list[int]) -> None:
        if not ids:
            return
        first = (
            select(PathProjectRow.path, func.min(PathProjectRow.position).label("position"))
            .group_by(PathProjectRow.path)
            .subquery()
        )
        rows = repo.db.execute(
            select(MentorshipRow.student_id, PathProjectRow.code, PathProjectRow.title)
            .join(first, first.c.path == MentorshipRow.path)
            .join(
                PathProjectRow,
                and_(
                    PathProjectRow.path == first.c.path,
                    PathProjectRow.position == first.c.position,
                ),
            )
            .where(MentorshipRow.student_id.in_(ids))
        )
        for sid, code, title in rows:
            self.projects[sid] = f"{code} {title}"


def _alerts_where(query: Select, which: AlertFilter) -> Select:  # type: ignore[type-arg]
    query = query.where(AlertRow.status.in_([s.value for s in which.statuses]))
    if which.category is not None:
        query = query.where(AlertRow.category == which.category.value)
    if which.student_id is not None:
        query = query.where(AlertRow.student_id == which.student_id)
    if which.mentor_id is not None:
        mentored = select(MentorshipRow.student_id).where(
            MentorshipRow.mentor_id == which.mentor_id
        )
        query = query.where(
            or_(AlertRow.student_id.in_(mentored), AlertRow.raised_by == which.mentor_id)
        )
    return query


def _students_where(query: Select, which: StudentFilter) -> Select:  # type: ignore[type-arg]
    if which.only is not None:
        query = query.where(PersonRow.id.in_(list(which.only)))
    if which.active:
        query = query.where(PersonRow.status == PersonStatus.ACTIVE.value)
    if which.paused:
        query = query.where(PersonRow.status == PersonStatus.PAUSED.value)
    if which.unlinked:
        query = query.where(~exists().where(IdentityRow.person_id == PersonRow.id))
    if which.mentor_id is not None:
        query = query.where(MentorshipRow.mentor_id == which.mentor_id)
    if which.path is not None:
        query = query.where(func.lower(MentorshipRow.path) == which.path.casefold())
    return query
