"""Labelled examples from people's corrections: the routing corpus grows from real questions.

A student's one-click choice, a mentor's "this is for the advisor" and an advisor's relabelling
are each kept as a row, with who made it and about which question, so they can be exported as
corpus rows (`mentorbot routing export`) and audited.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.routing.corrections import RoutingExample
from storage.models import RoutingExampleRow


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


class RoutingExamplesRepository:
    def __init__(self, db: Session) -> None:
        self.db = db

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
