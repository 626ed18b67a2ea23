"""A labelled example made by a person (a student's choice, a mentor's or advisor's correction),
and the port through which the core stores them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class RoutingExample:
    text: str
    language: str
    label: str  # "advisor" or "mentor"
    topic: str  # an advisor topic, or "mentor"
    source: str  # "student", "mentor" or "advisor": who said so
    created_at: datetime
    question_id: int | None = None
    by_person_id: int | None = None
    id: int | None = None


class RoutingExamples(Protocol):
    def add(self, example: RoutingExample) -> RoutingExample: ...
    def all(self) -> list[RoutingExample]: ...
    def for_question(self, question_id: int) -> list[RoutingExample]: ...
