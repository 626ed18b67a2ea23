"""Weekly check-ins: who is due one, the forms sent, and the answers."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from sqlalchemy import Select, and_, exists, false, func, not_, or_, select
from sqlalchemy.orm import aliased

from bot.domain import Checkin, CheckinAnswer
from storage.dialects import insert
from storage.models import CheckinRow, MentorshipRow, PersonRow, TimeOffRow
from storage.repositories import Repository, in_chunks


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


def _candidates(now: datetime) -> tuple[type[PersonRow], Select[int, str]]:
    """Active students whose mentor is active and not on time off: (the student alias, the
    query of their id and zone)."""
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
    return student, query


class CheckinsRepository(Repository):
    def candidates(self, now: datetime) -> list[tuple[int, str]]:
        """(student id, zone) of active students whose mentor is active and not on time off."""
        _, query = _candidates(now)
        return [(row[0], row[1]) for row in self.db.execute(query)]

    def zones(self, now: datetime) -> list[str]:
        """The time zones the candidates live in: a check-in week opens per zone."""
        student, query = _candidates(now)
        return list(self.db.scalars(query.with_only_columns(student.timezone).distinct()))

    def due(
        self,
        now: datetime,
        weeks: Mapping[tuple[int, int], Collection[str]],
        after: int,
        limit: int,
    ) -> list[tuple[int, str]]:
        """The next `limit` candidates (ids above `after`) living in a zone whose check-in week
        has opened (`weeks`: week -> zones) and who have no check-in for it yet: (id, zone).

        Paged by id, so a job can commit between pages; a tick with nothing new finds nothing
        and writes nothing."""
        student, query = _candidates(now)
        waiting = [
            and_(
                student.timezone.in_(zones),
                ~exists().where(
                    CheckinRow.student_id == student.id,
                    CheckinRow.iso_year == year,
                    CheckinRow.iso_week == week,
                ),
            )
            for (year, week), zones in weeks.items()
        ]
        page = (
            query.where(student.id > after, or_(false(), *waiting))
            .order_by(student.id)
            .limit(limit)
        )
        return [(row[0], row[1]) for row in self.db.execute(page)]

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

    def recent_of(self, student_ids: Collection[int], limit: int = 6) -> dict[int, list[Checkin]]:
        """`recent` for many students in one query (the reminders' briefings)."""
        newest = (
            func.row_number()
            .over(
                partition_by=CheckinRow.student_id,
                order_by=(CheckinRow.iso_year.desc(), CheckinRow.iso_week.desc()),
            )
            .label("newest")
        )
        found: dict[int, list[Checkin]] = {}
        for chunk in in_chunks(student_ids):  # a chunk of students per statement
            ranked = select(CheckinRow, newest).where(CheckinRow.student_id.in_(chunk)).subquery()
            ranked_row = aliased(CheckinRow, ranked)
            rows = self.db.scalars(
                select(ranked_row)
                .where(ranked.c.newest <= limit)
                .order_by(ranked_row.student_id, ranked.c.newest)
            )
            for row in rows:
                found.setdefault(row.student_id, []).append(_checkin(row))
        return found

    def recent(self, student_id: int, limit: int = 6) -> list[Checkin]:
        rows = self.db.scalars(
            select(CheckinRow)
            .where(CheckinRow.student_id == student_id)
            .order_by(CheckinRow.iso_year.desc(), CheckinRow.iso_week.desc())
            .limit(limit)
        )
        return [_checkin(r) for r in rows]
