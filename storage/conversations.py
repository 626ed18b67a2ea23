"""Repositories for what happens between sessions: contact rules, questions and alerts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession

from bot.domain import Alert, AlertCategory, AlertEvent, AlertStatus
from storage.models import AlertEventRow, AlertRow

LIVE_ALERT = (AlertStatus.OPEN.value, AlertStatus.ACKNOWLEDGED.value)


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
    )


class AlertsRepository:
    def __init__(self, db: OrmSession) -> None:
        self.db = db

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
    ) -> Alert | None:
        """A new open alert, or None when one for this student and category is already open."""
        row = AlertRow(
            student_id=student_id,
            raised_by=raised_by,
            category=category.value,
            summary=summary,
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
