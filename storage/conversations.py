"""Repositories for what happens between sessions: contact rules, questions and alerts."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession

from bot.domain import (
    Alert,
    AlertCategory,
    AlertEvent,
    AlertStatus,
    ContactPolicy,
    ContactRule,
    Decision,
    Question,
    Topic,
)
from storage.models import (
    AlertEventRow,
    AlertRow,
    ContactDefaultRow,
    MentorshipRow,
    QuestionRow,
)

LIVE_ALERT = (AlertStatus.OPEN.value, AlertStatus.ACKNOWLEDGED.value)


def _days(text: str) -> frozenset[int]:
    return frozenset(int(d) for d in text.split(",") if d)


def _policy(
    rule: str, days: str, starts: time | None, ends: time | None, zone: str | None
) -> ContactPolicy:
    return ContactPolicy(ContactRule(rule), _days(days), starts, ends, zone)


def _columns(policy: ContactPolicy) -> dict[str, object]:
    return {
        "days": ",".join(str(d) for d in sorted(policy.days)),
        "starts": policy.starts,
        "ends": policy.ends,
        "timezone": policy.timezone,
    }


class ContactRulesRepository:
    def __init__(self, db: OrmSession) -> None:
        self.db = db

    def effective(self, student_id: int) -> ContactPolicy:
        """The student's own rule, else their mentor's default, else UNSET."""
        row = self.db.scalar(select(MentorshipRow).where(MentorshipRow.student_id == student_id))
        if row is None:
            return ContactPolicy(ContactRule.UNSET)
        if row.contact_rule != ContactRule.UNSET.value:
            return _policy(
                row.contact_rule,
                row.contact_days,
                row.contact_starts,
                row.contact_ends,
                row.contact_timezone,
            )
        default = self.db.get(ContactDefaultRow, row.mentor_id)
        if default is None:
            return ContactPolicy(ContactRule.UNSET)
        return _policy(default.rule, default.days, default.starts, default.ends, default.timezone)

    def set_for_student(self, student_id: int, policy: ContactPolicy) -> None:
        values = _columns(policy)
        self.db.execute(
            update(MentorshipRow)
            .where(MentorshipRow.student_id == student_id)
            .values(
                contact_rule=policy.rule.value,
                contact_days=values["days"],
                contact_starts=values["starts"],
                contact_ends=values["ends"],
                contact_timezone=values["timezone"],
            )
        )

    def set_default(self, mentor_id: int, policy: ContactPolicy) -> None:
        row = self.db.get(ContactDefaultRow, mentor_id)
        if row is None:
            row = ContactDefaultRow(mentor_id=mentor_id)
            self.db.add(row)
        row.rule = policy.rule.value
        for name, value in _columns(policy).items():
            setattr(row, name, value)
        self.db.flush()


def _question(row: QuestionRow) -> Question:
    return Question(
        id=row.id,
        student_id=row.student_id,
        mentor_id=row.mentor_id,
        text=row.text,
        topic=Topic(row.topic),
        decision=Decision(row.decision),
        created_at=row.created_at,
        deliver_at=row.deliver_at,
        answer=row.answer,
        answered_at=row.answered_at,
    )


class QuestionsRepository:
    def __init__(self, db: OrmSession) -> None:
        self.db = db

    def add(
        self,
        student_id: int,
        mentor_id: int,
        text: str,
        topic: Topic,
        decision: Decision,
        at: datetime,
    ) -> Question:
        row = QuestionRow(
            student_id=student_id,
            mentor_id=mentor_id,
            text=text,
            topic=topic.value,
            decision=decision.value,
            created_at=at,
        )
        self.db.add(row)
        self.db.flush()
        return _question(row)

    def get(self, question_id: int) -> Question | None:
        row = self.db.get(QuestionRow, question_id)
        return _question(row) if row else None

    def decide(self, question_id: int, decision: Decision, deliver_at: datetime | None) -> None:
        row = self.db.get_one(QuestionRow, question_id)
        row.decision = decision.value
        row.deliver_at = deliver_at
        self.db.flush()

    def set_topic(self, question_id: int, topic: Topic) -> None:
        """A student's choice or a correction: the question keeps who it was for."""
        self.db.get_one(QuestionRow, question_id).topic = topic.value
        self.db.flush()

    def answer(self, question_id: int, text: str, at: datetime) -> None:
        row = self.db.get_one(QuestionRow, question_id)
        row.answer = text
        row.answered_at = at
        self.db.flush()

    def with_decision(self, mentor_id: int, decision: Decision) -> list[Question]:
        rows = self.db.scalars(
            select(QuestionRow)
            .where(QuestionRow.mentor_id == mentor_id, QuestionRow.decision == decision.value)
            .order_by(QuestionRow.id)
        )
        return [_question(r) for r in rows]

    def of_student(self, student_id: int, limit: int = 50) -> list[Question]:
        rows = self.db.scalars(
            select(QuestionRow)
            .where(QuestionRow.student_id == student_id)
            .order_by(QuestionRow.id.desc())
            .limit(limit)
        )
        return [_question(r) for r in rows]


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
