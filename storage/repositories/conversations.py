"""What passes between sessions: contact rules, questions, and the routing examples they leave."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, time

from sqlalchemy import func, select, update
from sqlalchemy.orm import aliased

from bot.domain import ContactPolicy, ContactRule, Decision, Question, Topic
from bot.routing.corrections import RoutingExample
from storage.bulk import one_of
from storage.models import ContactDefaultRow, MentorshipRow, QuestionRow, RoutingExampleRow
from storage.repositories import Repository


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


class ContactRulesRepository(Repository):
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


class QuestionsRepository(Repository):
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

    def hand_over(
        self,
        student_id: int,
        old_mentor_id: int,
        new_mentor_id: int,
        decisions: Collection[Decision],
    ) -> list[Question]:
        """The student's unanswered questions for the old mentor in one of `decisions`, now for
        the new mentor (a change of mentor): returned as they are now, oldest first."""
        rows = list(
            self.db.scalars(
                select(QuestionRow)
                .where(
                    QuestionRow.student_id == student_id,
                    QuestionRow.mentor_id == old_mentor_id,
                    QuestionRow.decision.in_([d.value for d in decisions]),
                    QuestionRow.answer.is_(None),
                )
                .order_by(QuestionRow.id)
            )
        )
        for row in rows:
            row.mentor_id = new_mentor_id
        self.db.flush()
        return [_question(r) for r in rows]

    def of_student(self, student_id: int, limit: int = 50) -> list[Question]:
        rows = self.db.scalars(
            select(QuestionRow)
            .where(QuestionRow.student_id == student_id)
            .order_by(QuestionRow.id.desc())
            .limit(limit)
        )
        return [_question(r) for r in rows]

    def of_students(
        self, student_ids: Collection[int], limit: int = 50
    ) -> dict[int, list[Question]]:
        """`of_student` for many students in one query (the reminders' agendas)."""
        newest = (
            func.row_number()
            .over(partition_by=QuestionRow.student_id, order_by=QuestionRow.id.desc())
            .label("newest")
        )
        ranked = (
            select(QuestionRow, newest)
            .where(one_of(self.db, QuestionRow.student_id, student_ids))  # one value: storage.bulk
            .subquery()
        )
        ranked_row = aliased(QuestionRow, ranked)
        rows = self.db.scalars(
            select(ranked_row)
            .where(ranked.c.newest <= limit)
            .order_by(ranked_row.student_id, ranked.c.newest)
        )
        found: dict[int, list[Question]] = {}
        for row in rows:
            found.setdefault(row.student_id, []).append(_question(row))
        return found


def _example(row: RoutingExampleRow) -> RoutingExample:
    return RoutingExample(
        id=row.id,
        question_id=row.question_id,
        text=row.text,
        language=row.language,
        label=row.label,
        topic=row.topic,
        source=row.source,
        by_person_id=row.by_person_id,
        created_at=row.created_at,
    )


class RoutingExamplesRepository(Repository):
    """Labelled examples from people's corrections: the routing corpus grows from real questions.

    A student's one-click choice, a mentor's "this is for the advisor" and an advisor's
    relabelling are each kept as a row, with who made it and about which question, so they can
    be exported as corpus rows (`mentorbot routing export`) and audited.
    """

    def add(self, example: RoutingExample) -> RoutingExample:
        row = RoutingExampleRow(
            question_id=example.question_id,
            text=example.text,
            language=example.language,
            label=example.label,
            topic=example.topic,
            source=example.source,
            by_person_id=example.by_person_id,
            created_at=example.created_at,
        )
        self.db.add(row)
        self.db.flush()
        return _example(row)

    def all(self) -> list[RoutingExample]:
        rows = self.db.scalars(select(RoutingExampleRow).order_by(RoutingExampleRow.id))
        return [_example(row) for row in rows]

    def for_question(self, question_id: int) -> list[RoutingExample]:
        rows = self.db.scalars(
            select(RoutingExampleRow)
            .where(RoutingExampleRow.question_id == question_id)
            .order_by(RoutingExampleRow.id)
        )
        return [_example(row) for row in rows]
