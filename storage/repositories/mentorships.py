"""Mentorships (who mentors whom, on which contract) and availability: weekly hours, time off."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time

from sqlalchemy import delete, insert, literal, select, update

from bot.domain import Mentorship, TimeOff, WeeklyAvailability
from bot.student_hours import StudentHours
from storage.bulk import one_of, rows_of
from storage.models import MentorshipRow, PersonRow, TimeOffRow, WeeklyAvailabilityRow
from storage.repositories import Repository, in_chunks


def _mentorship(row: MentorshipRow) -> Mentorship:
    return Mentorship(
        id=row.id,
        student_id=row.student_id,
        mentor_id=row.mentor_id,
        path=row.path,
        session_minutes=row.session_minutes,
        sessions_per_week=row.sessions_per_week,
    )


class MentorshipsRepository(Repository):
    def for_student(self, student_id: int, *, lock: bool = False) -> Mentorship | None:
        query = select(MentorshipRow).where(MentorshipRow.student_id == student_id)
        if lock:
            # Serialises one student's bookings on PostgreSQL (the weekly quota has no constraint).
            query = query.with_for_update()
        row = self.db.scalar(query)
        return _mentorship(row) if row else None

    def mentors_of(self, student_ids: Iterable[int]) -> dict[int, int]:
        """Each of these students' mentor, by student, in one statement: the ids are one bound
        value (storage.bulk.one_of), not 10,000 bound one by one in chunks."""
        rows = self.db.connection().execute(  # Core's rows: no ORM row per student
            select(MentorshipRow.student_id, MentorshipRow.mentor_id).where(
                one_of(self.db, MentorshipRow.student_id, student_ids)
            )
        )
        return {student: mentor for student, mentor in rows.all()}  # fetched at once

    def add_many(self, mentorships: Sequence[tuple[int, int, str, int, int]]) -> None:
        """New students' mentorships, (student, mentor, path, minutes, per week) each, in bulk
        (5,000 a statement, as one JSON value: storage.bulk); `save` is the one-student path
        (and the one that changes a mentor)."""
        columns = ["student_id", "mentor_id", "path", "session_minutes", "sessions_per_week"]
        unset = literal("unset", MentorshipRow.contact_rule.type)
        for start in range(0, len(mentorships), 5_000):
            rows = [list(m) for m in mentorships[start : start + 5_000]]
            source = rows_of(self.db, MentorshipRow.__table__, columns, rows).add_columns(unset)
            self.db.execute(insert(MentorshipRow).from_select([*columns, "contact_rule"], source))

    def for_mentor(self, mentor_id: int) -> list[Mentorship]:
        rows = self.db.scalars(select(MentorshipRow).where(MentorshipRow.mentor_id == mentor_id))
        return [_mentorship(r) for r in rows]

    def save(
        self,
        student_id: int,
        mentor_id: int,
        path: str,
        session_minutes: int,
        sessions_per_week: int,
    ) -> bool:
        row = self.db.scalar(select(MentorshipRow).where(MentorshipRow.student_id == student_id))
        created = row is None
        if row is None:
            row = MentorshipRow(student_id=student_id, contact_rule="unset")
            self.db.add(row)
        elif row.mentor_id != mentor_id:
            # The student's own contact rule was the old mentor's: the new mentor's default rules.
            row.contact_rule, row.contact_days = "unset", ""
            row.contact_starts = row.contact_ends = row.contact_timezone = None
        row.mentor_id = mentor_id
        row.path = path
        row.session_minutes = session_minutes
        row.sessions_per_week = sessions_per_week
        self.db.flush()
        return created


def _weekly(row: WeeklyAvailabilityRow) -> WeeklyAvailability:
    return WeeklyAvailability(
        row.id, row.person_id, row.weekday, row.starts, row.ends, row.timezone
    )


def _time_off(row: TimeOffRow) -> TimeOff:
    return TimeOff(row.id, row.person_id, row.first_day, row.last_day, row.starts_at, row.ends_at)


class AvailabilityRepository(Repository):
    def weekly(self, person_id: int) -> list[WeeklyAvailability]:
        rows = self.db.scalars(
            select(WeeklyAvailabilityRow)
            .where(WeeklyAvailabilityRow.person_id == person_id)
            .order_by(WeeklyAvailabilityRow.weekday, WeeklyAvailabilityRow.starts)
        )
        return [_weekly(r) for r in rows]

    def add_weekly(
        self, person_id: int, weekday: int, starts: time, ends: time, timezone: str
    ) -> WeeklyAvailability:
        row = WeeklyAvailabilityRow(
            person_id=person_id, weekday=weekday, starts=starts, ends=ends, timezone=timezone
        )
        self.db.add(row)
        self.db.flush()
        return _weekly(row)

    def remove_weekly(self, availability_id: int) -> None:
        self.db.execute(
            delete(WeeklyAvailabilityRow).where(WeeklyAvailabilityRow.id == availability_id)
        )

    def remove_time_off(self, time_off_id: int) -> None:
        self.db.execute(delete(TimeOffRow).where(TimeOffRow.id == time_off_id))

    def time_off(self, person_id: int, since: datetime) -> list[TimeOff]:
        rows = self.db.scalars(
            select(TimeOffRow)
            .where(TimeOffRow.person_id == person_id, TimeOffRow.ends_at > since)
            .order_by(TimeOffRow.starts_at)
        )
        return [_time_off(r) for r in rows]

    def time_off_of(self, person_ids: Iterable[int], since: datetime) -> list[TimeOff]:
        """`time_off` for many people at once (a chunk of ids per statement)."""
        found: list[TimeOff] = []
        for chunk in in_chunks(person_ids):
            rows = self.db.scalars(
                select(TimeOffRow)
                .where(TimeOffRow.person_id.in_(chunk), TimeOffRow.ends_at > since)
                .order_by(TimeOffRow.starts_at)
            )
            found += [_time_off(r) for r in rows]
        return found

    def add_time_off(
        self,
        person_id: int,
        first_day: date,
        last_day: date,
        starts_at: datetime,
        ends_at: datetime,
    ) -> TimeOff:
        row = TimeOffRow(
            person_id=person_id,
            first_day=first_day,
            last_day=last_day,
            starts_at=starts_at,
            ends_at=ends_at,
        )
        self.db.add(row)
        self.db.flush()
        return _time_off(row)

    def weekly_and_hours(
        self, person_id: int
    ) -> tuple[list[WeeklyAvailability], StudentHours | None]:
        """The weekly windows and the hours for students far away, in one statement: the
        booking search reads both, whatever the calendar holds."""
        rows = self.db.execute(
            select(PersonRow.students_earliest, PersonRow.students_latest, WeeklyAvailabilityRow)
            .select_from(PersonRow)
            .outerjoin(WeeklyAvailabilityRow, WeeklyAvailabilityRow.person_id == PersonRow.id)
            .where(PersonRow.id == person_id)
            .order_by(WeeklyAvailabilityRow.weekday, WeeklyAvailabilityRow.starts)
        ).all()
        weekly = [_weekly(rule) for _, _, rule in rows if rule is not None]
        earliest, latest = (rows[0][0], rows[0][1]) if rows else (None, None)
        if earliest is None or latest is None:
            return weekly, None
        return weekly, StudentHours(earliest, latest)

    def set_student_hours(self, person_id: int, hours: StudentHours | None) -> None:
        self.db.execute(
            update(PersonRow)
            .where(PersonRow.id == person_id)
            .values(
                students_earliest=hours.earliest if hours else None,
                students_latest=hours.latest if hours else None,
            )
        )
