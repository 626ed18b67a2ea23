"""Repositories for the scheduler's work: check-ins, job runs, reminders and activity scans."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, not_, or_, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import aliased

from bot.domain import Checkin, CheckinAnswer, StudentActivity
from storage.dialects import insert
from storage.models import CheckinRow, MentorshipRow, PersonRow, SessionRow, TimeOffRow


def _checkin(row: CheckinRow) -> Checkin:
    return Checkin(
        row.student_id,
        row.iso_year,
        row.iso_week,
        row.sent_at,
        row.answered_at,
        row.progress,
        row.confidence,
        row.blockers,
        row.goal,
    )


class CheckinsRepository:
    def __init__(self, db: OrmSession) -> None:
        self.db = db

    def candidates(self, now: datetime) -> list[tuple[int, str]]:
        """(student id, zone) of active students whose mentor is active and not on time off."""
        student, mentor = aliased(PersonRow), aliased(PersonRow)
        on_leave = exists().where(
            TimeOffRow.person_id == MentorshipRow.mentor_id,
            TimeOffRow.starts_at <= now,
            TimeOffRow.ends_at > now,
        )
        query = (
            select(student.id, student.timezone)
            .join(MentorshipRow, MentorshipRow.student_id == student.id)
            .join(mentor, mentor.id == MentorshipRow.mentor_id)
            .where(student.status == "active", mentor.status == "active", not_(on_leave))
        )
        return [(row[0], row[1]) for row in self.db.execute(query)]

    def create(self, week: tuple[int, int], student_ids: Sequence[int], at: datetime) -> list[int]:
        """Create this week's check-ins; returns only the students that had none yet."""
        if not student_ids:
            return []
        rows = [
            {"student_id": s, "iso_year": week[0], "iso_week": week[1], "sent_at": at}
            for s in student_ids
        ]
        statement = (
            insert(self.db, CheckinRow).on_conflict_do_nothing().returning(CheckinRow.student_id)
        )
        return list(self.db.scalars(statement, rows))

    def answer(
        self, student_id: int, week: tuple[int, int], answer: CheckinAnswer, at: datetime
    ) -> None:
        row = self.db.scalar(
            select(CheckinRow).where(
                CheckinRow.student_id == student_id,
                CheckinRow.iso_year == week[0],
                CheckinRow.iso_week == week[1],
            )
        )
        if row is None:
            row = CheckinRow(student_id=student_id, iso_year=week[0], iso_week=week[1])
            self.db.add(row)
        row.answered_at = at
        row.progress, row.confidence = answer.progress, answer.confidence
        row.blockers, row.goal = answer.blockers, answer.goal
        self.db.flush()

    def recent(self, student_id: int, limit: int = 6) -> list[Checkin]:
        rows = self.db.scalars(
            select(CheckinRow)
            .where(CheckinRow.student_id == student_id)
            .order_by(CheckinRow.iso_year.desc(), CheckinRow.iso_week.desc())
            .limit(limit)
        )
        return [_checkin(r) for r in rows]


class ActivityRepository:
    def __init__(self, db: OrmSession) -> None:
        self.db = db

    def scan(
        self, now: datetime, absence_window: timedelta, booking_window: timedelta, streak: int
    ) -> list[StudentActivity]:
        """Everything the disengagement rules need, for every active student, in four queries."""
        students = dict(
            self.db.execute(
                select(PersonRow.id, PersonRow.created_at)
                .join(MentorshipRow, MentorshipRow.student_id == PersonRow.id)
                .where(PersonRow.status == "active")
            ).all()
        )
        absences = self._absences(now - absence_window, now)
        recent = self._with_sessions_since(now - booking_window)
        missed = self._missed_checkins(now, streak)
        return [
            StudentActivity(sid, joined, missed.get(sid, 0), absences.get(sid, 0), sid in recent)
            for sid, joined in students.items()
        ]

    def _absences(self, start: datetime, end: datetime) -> dict[int, int]:
        missed = or_(
            SessionRow.status == "no_show",
            and_(SessionRow.status == "cancelled", SessionRow.late_cancellation.is_(True)),
        )
        rows = self.db.execute(
            select(SessionRow.student_id, func.count())
            .where(
                SessionRow.kind == "mentoring",
                SessionRow.starts_at >= start,
                SessionRow.starts_at <= end,
                missed,
            )
            .group_by(SessionRow.student_id)
        )
        return {r[0]: r[1] for r in rows}

    def _with_sessions_since(self, since: datetime) -> set[int]:
        early_cancel = and_(
            SessionRow.status == "cancelled", SessionRow.late_cancellation.is_(False)
        )
        rows = self.db.scalars(
            select(SessionRow.student_id)
            .where(
                SessionRow.kind == "mentoring", SessionRow.starts_at >= since, not_(early_cancel)
            )
            .distinct()
        )
        return set(rows)

    def _missed_checkins(self, now: datetime, streak: int) -> dict[int, int]:
        """Consecutive unanswered check-ins sent more than a week ago, newest first."""
        since = now - timedelta(weeks=streak + 2)
        rows = self.db.execute(
            select(CheckinRow.student_id, CheckinRow.sent_at, CheckinRow.answered_at)
            .where(CheckinRow.sent_at >= since, CheckinRow.sent_at <= now - timedelta(days=7))
            .order_by(CheckinRow.student_id, CheckinRow.iso_year.desc(), CheckinRow.iso_week.desc())
        )
        counts: dict[int, int] = defaultdict(int)
        broken: set[int] = set()
        for student_id, _, answered_at in rows:
            if student_id in broken:
                continue
            if answered_at is None:
                counts[student_id] += 1
            else:
                broken.add(student_id)
        return dict(counts)
