"""What passes between sessions: contact rules, questions, the routing examples they leave."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol

from bot.domain import ContactPolicy, Decision, Question, Topic
from bot.routing.corrections import RoutingExamples as RoutingExamples  # declared with the router


class ContactRules(Protocol):
    def effective(self, student_id: int) -> ContactPolicy: ...
    def set_for_student(self, student_id: int, policy: ContactPolicy) -> None: ...
    def set_default(self, mentor_id: int, policy: ContactPolicy) -> None: ...


class Questions(Protocol):
    def add(
        self,
        student_id: int,
        mentor_id: int,
        text: str,
        topic: Topic,
        decision: Decision,
        at: datetime,
    ) -> Question: ...
    def get(self, question_id: int) -> Question | None: ...
    def decide(self, question_id: int, decision: Decision, deliver_at: datetime | None) -> None: ...
    def set_topic(self, question_id: int, topic: Topic) -> None: ...
    def answer(self, question_id: int, text: str, at: datetime) -> None: ...
    def with_decision(self, mentor_id: int, decision: Decision) -> list[Question]: ...
    def hand_over(
        self,
        student_id: int,
        old_mentor_id: int,
        new_mentor_id: int,
        decisions: Collection[Decision],
    ) -> list[Question]: ...
    def of_student(self, student_id: int, limit: int = 50) -> list[Question]: ...
    def of_students(
        self, student_ids: Collection[int], limit: int = 50
    ) -> dict[int, list[Question]]: ...
