"""Alerts to the advisors, their history, and the activity scan disengagement alerts come from."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, and_, case, func, literal, not_, or_, select, update
from sqlalchemy import insert as sqlalchemy_insert
from sqlalchemy.exc import IntegrityError

from bot.domain import Alert, AlertCategory, AlertEvent, AlertStatus, StudentActivity
from bot.replies import Text
from storage import codec
from storage.bulk import one_of, rows_of
from storage.dialects import insert
from storage.models import AlertEventRow, AlertRow, CheckinRow, MentorshipRow, PersonRow, SessionRow
from storage.repositories import Repository
from storage.repositories.checkins import _UNHURRIED

LIVE_ALERT = (AlertStatus.OPEN.value, AlertStatus.ACKNOWLEDGED.value)
# System alerts a batch of add_many takes on PostgreSQL, for each one on SQLite (batch_size).
_PG_BATCH = 10


def _encoded(known: dict[int, tuple[Sequence[Text], object]], texts: Sequence[Text]) -> object:
    """`texts` encoded, once per list object (the drafts of a batch share one per distinct
    list of reasons; each kept beside its encoding, so that its id is never another's)."""
    if (seen := known.get(id(texts))) is None:
        seen = known[id(texts)] = (texts, codec.encode(list(texts)) or None)
    return seen[1]


def _alert(row: AlertRow) -> Alert:
    return Alert(
        id=row.id,
        student_id=row.student_id,
        raised_by=row.raised_by,
        category=AlertCategory(row.category),
        summary=row.summary,
        has_details=bool(row.details),
        status=AlertStatus(row.status),
        created_at=row.created_at,
        reports=row.reports,
        acknowledged_by=row.acknowledged_by,
        acknowledged_at=row.acknowledged_at,
        resolved_by=row.resolved_by,
        resolved_at=row.resolved_at,
        resolution_note=row.resolution_note,
        last_pinged_at=row.last_pinged_at,
        summary_texts=tuple(codec.decode(row.summary_texts or [])),
    )


class AlertsRepository(Repository):
    def live_for(self, student_id: int, category: AlertCategory) -> Alert | None:
        row = self.db.scalar(
            select(AlertRow).where(
                AlertRow.student_id == student_id,
                AlertRow.category == category.value,
                AlertRow.status.in_(LIVE_ALERT),
            )
        )
        return _alert(row) if row else None

    def add(
        self,
        student_id: int,
        raised_by: int | None,
        category: AlertCategory,
        summary: str,
        details: str | None,
        at: datetime,
        summary_texts: Sequence[Text] = (),
    ) -> Alert | None:
        """A new open alert, or None when one for this student and category is already open."""
        row = AlertRow(
            student_id=student_id,
            raised_by=raised_by,
            category=category.value,
            summary=summary,
            summary_texts=codec.encode(list(summary_texts)) or None,
            details=details,
            status=AlertStatus.OPEN.value,
            reports=1,
            created_at=at,
        )
        try:
            with self.db.begin_nested():
                self.db.add(row)
                self.db.flush()
        except IntegrityError:
            return None
        return _alert(row)

    def get(self, alert_id: int) -> Alert | None:
        row = self.db.get(AlertRow, alert_id)
        return _alert(row) if row else None

    def live_students(self, category: AlertCategory) -> set[int]:
        """Students with a live alert of this category (one query for the daily scan)."""
        return set(
            self.db.scalars(
                select(AlertRow.student_id).where(
                    AlertRow.category == category.value, AlertRow.status.in_(LIVE_ALERT)
                )
            )
        )

    def batch_size(self, batch: int) -> int:
        """The system alerts a batch (a transaction) of the daily scan raises: `batch` on
        SQLite, where a command's write waits for the batch's transaction; ten times that on
        PostgreSQL, where none does (the rows are new): a tenth of the commits and statements."""
        return batch * _PG_BATCH if self._postgresql() else batch

    def _postgresql(self) -> bool:
        return self.db.get_bind().dialect.name == "postgresql"

    def add_many(
        self,
        category: AlertCategory,
        raised: Sequence[tuple[int, str, Sequence[Text]]],
        at: datetime,
    ) -> dict[int, int]:
        """Open alerts raised by the system, (student, summary, summary texts) each, in one
        INSERT … SELECT of the rows as one JSON value (storage.bulk), with their "raised"
        events in a second; a student who has one live already is skipped (the unique index).
        The new alerts' ids, by student: only two ids come back per alert (an ORM row and its
        domain object per alert were a third of raising 10,000)."""
        if not raised:
            return {}
        if self._postgresql():
            # The batch's commit does not wait for the WAL's flush, its statements uncompiled
            # (checkins' pages do the same): a commit lost in a crash leaves those students
            # without a live alert, and the next run raises theirs again.
            self.db.execute(_UNHURRIED)
        encoded: dict[int, tuple[Sequence[Text], object]] = {}  # each list encoded once
        values = [
            [student_id, summary, _encoded(encoded, texts)] for student_id, summary, texts in raised
        ]
        varying = ["student_id", "summary", "summary_texts"]
        fixed = {
            "category": category.value,
            "status": AlertStatus.OPEN.value,
            "reports": 1,
            "created_at": at,
        }  # bound once, not unpacked from each row's JSON
        source = rows_of(self.db, AlertRow.__table__, varying, values, fixed)
        statement = insert(self.db, AlertRow).from_select([*varying, *fixed], source)
        statement = statement.on_conflict_do_nothing()
        if self._postgresql():
            return self._with_events(statement)
        created: dict[int, int] = dict(
            self.db.execute(statement.returning(AlertRow.student_id, AlertRow.id)).all()
        )
        if created:
            self._raised_events(created.values())
        return created

    def _with_events(self, statement: Any) -> dict[int, int]:
        """PostgreSQL: the new alerts and their "raised" events in one statement, each event
        copied from its alert as the INSERT returns it (none looked up again by its id)."""
        table = AlertRow.__table__.c
        new = statement.returning(
            table.student_id, table.id, table.created_at, table.raised_by, table.summary
        ).cte("new")
        copied = select(
            new.c.id, new.c.created_at, new.c.raised_by, literal("raised", String()), new.c.summary
        ).order_by(new.c.id)
        columns = ["alert_id", "at", "actor_id", "action", "note"]
        events = sqlalchemy_insert(AlertEventRow).from_select(columns, copied).cte("events")
        return dict(self.db.execute(select(new.c.student_id, new.c.id).add_cte(events)).all())

    def _raised_events(self, alert_ids: Iterable[int]) -> None:
        """Each new alert's "raised" event, copied from its row by the database."""
        source = (
            select(
                AlertRow.id,
                AlertRow.created_at,
                AlertRow.raised_by,
                literal("raised", String()),
                AlertRow.summary,
            )
            .where(one_of(self.db, AlertRow.id, alert_ids))
            .order_by(AlertRow.id)
        )
        columns = ["alert_id", "at", "actor_id", "action", "note"]
        self.db.execute(sqlalchemy_insert(AlertEventRow).from_select(columns, source))

    def add_events(self, events: Sequence[AlertEvent]) -> None:
        """`add_event` for many, in one statement."""
        if events:
            self.db.execute(
                sqlalchemy_insert(AlertEventRow),
                [
                    {
                        "alert_id": e.alert_id,
                        "at": e.at,
                        "actor_id": e.actor_id,
                        "action": e.action,
                        "note": e.note,
                    }
                    for e in events
                ],
            )

    def details(self, alert_id: int) -> str | None:
        return self.db.scalar(select(AlertRow.details).where(AlertRow.id == alert_id))

    def report_again(self, alert_id: int, details: str | None) -> None:
        row = self.db.get_one(AlertRow, alert_id, with_for_update=True)
        row.reports += 1
        if details:
            row.details = f"{row.details}\n---\n{details}" if row.details else details
        self.db.flush()

    def acknowledge(self, alert_id: int, by: int, at: datetime) -> None:
        row = self.db.get_one(AlertRow, alert_id)
        row.status, row.acknowledged_by, row.acknowledged_at = AlertStatus.ACKNOWLEDGED, by, at
        self.db.flush()

    def resolve(self, alert_id: int, by: int, at: datetime, note: str) -> None:
        row = self.db.get_one(AlertRow, alert_id)
        row.status, row.resolved_by, row.resolved_at = AlertStatus.RESOLVED, by, at
        row.resolution_note = note
        self.db.flush()

    def mark_pinged_many(self, alert_ids: Sequence[int], at: datetime) -> None:
        if alert_ids:
            self.db.execute(
                update(AlertRow).where(AlertRow.id.in_(alert_ids)).values(last_pinged_at=at)
            )

    def mark_pinged(self, alert_id: int, at: datetime) -> None:
        self.db.get_one(AlertRow, alert_id).last_pinged_at = at
        self.db.flush()

    def listing(
        self, statuses: tuple[AlertStatus, ...], student_id: int | None, limit: int = 30
    ) -> list[Alert]:
        query = select(AlertRow).where(AlertRow.status.in_([s.value for s in statuses]))
        if student_id is not None:
            query = query.where(AlertRow.student_id == student_id)
        rows = self.db.scalars(query.order_by(AlertRow.id.desc()).limit(limit))
        return [_alert(r) for r in rows]

    def unacknowledged_since(self, before: datetime) -> list[Alert]:
        """Open alerts not acknowledged, whose last ping (or raise) is older than `before`."""
        rows = self.db.scalars(
            select(AlertRow)
            .where(AlertRow.status == AlertStatus.OPEN.value, AlertRow.created_at <= before)
            .order_by(AlertRow.id)
        )
        return [_alert(r) for r in rows if r.last_pinged_at is None or r.last_pinged_at <= before]

    def add_event(self, event: AlertEvent) -> None:
        self.db.add(
            AlertEventRow(
                alert_id=event.alert_id,
                at=event.at,
                actor_id=event.actor_id,
                action=event.action,
                note=event.note,
            )
        )
        self.db.flush()

    def events(self, alert_id: int) -> list[AlertEvent]:
        rows = self.db.scalars(
            select(AlertEventRow)
            .where(AlertEventRow.alert_id == alert_id)
            .order_by(AlertEventRow.id)
        )
        return [AlertEvent(r.alert_id, r.at, r.actor_id, r.action, r.note) for r in rows]


class ActivityRepository(Repository):
    def scan(
        self, now: datetime, absence_window: timedelta, booking_window: timedelta, streak: int
    ) -> list[StudentActivity]:
        """Everything the disengagement rules need, for every active student, in four queries
        (their rows read by Core: an ORM row per row was a third of reading them)."""
        students = dict(
            self.db.connection()
            .execute(
                select(PersonRow.id, PersonRow.created_at)
                .join(MentorshipRow, MentorshipRow.student_id == PersonRow.id)
                .where(PersonRow.status == "active")
            )
            .all()
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
        rows = self.db.connection().execute(
            select(SessionRow.student_id, func.count())
            .where(
                SessionRow.kind == "mentoring",
                SessionRow.starts_at >= start,
                SessionRow.starts_at <= end,
                missed,
            )
            .group_by(SessionRow.student_id)
        )
        return {r[0]: r[1] for r in rows.all()}

    def _with_sessions_since(self, since: datetime) -> set[int]:
        early_cancel = and_(
            SessionRow.status == "cancelled", SessionRow.late_cancellation.is_(False)
        )
        rows = self.db.connection().scalars(
            select(SessionRow.student_id)
            .where(
                SessionRow.kind == "mentoring", SessionRow.starts_at >= since, not_(early_cancel)
            )
            .distinct()
        )
        return set(rows.all())

    def _missed_checkins(self, now: datetime, streak: int) -> dict[int, int]:
        """Consecutive unanswered check-ins sent more than a week ago, newest first. On
        PostgreSQL counted by the database: one row a student, not their check-ins (30,000
        for 10,000 students) through this process; SQLite's window is slower than the loop."""
        since = now - timedelta(weeks=streak + 2)
        newest_first = (CheckinRow.iso_year.desc(), CheckinRow.iso_week.desc())
        sent = (CheckinRow.sent_at >= since, CheckinRow.sent_at <= now - timedelta(days=7))
        if self.db.get_bind().dialect.name == "postgresql":
            # Whether one of the student's check-ins up to this one (newest first) was answered.
            answered = case((CheckinRow.answered_at.is_(None), 0), else_=1)
            broken = func.max(answered).over(
                partition_by=CheckinRow.student_id, order_by=newest_first
            )
            ahead = select(CheckinRow.student_id, broken.label("broken")).where(*sent).subquery()
            counted = self.db.connection().execute(
                select(ahead.c.student_id, func.count())
                .where(ahead.c.broken == 0)
                .group_by(ahead.c.student_id)
            )
            return {student_id: count for student_id, count in counted.all()}
        # Whether each was answered, not when: no datetime is decoded.
        rows = self.db.connection().execute(
            select(CheckinRow.student_id, CheckinRow.answered_at.is_(None))
            .where(*sent)
            .order_by(CheckinRow.student_id, *newest_first)
        )
        counts: dict[int, int] = defaultdict(int)
        broken_off: set[int] = set()
        for student_id, unanswered in rows.all():  # fetched at once, not row by row
            if student_id in broken_off:
                continue
            if unanswered:
                counts[student_id] += 1
            else:
                broken_off.add(student_id)
        return dict(counts)
