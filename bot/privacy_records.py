"""What privacy requests read and write: a person's rows, and the record of an erasure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# Rows by table, each row a column -> value mapping (plain values: str, int, datetime, None…).
PersonData = dict[str, list[dict[str, object]]]


@dataclass(frozen=True)
class Erasure:
    kind: str  # person | retention
    erased_at: datetime
    erased_by: str  # advisor | command line | retention job
    person_id: int | None = None
    erased_by_id: int | None = None
    counts: dict[str, int] = field(default_factory=dict)


def erased_name(person_id: int) -> str:
    """What an erased person is called from then on: a number, nothing of theirs."""
    return f"erased-{person_id}"


def erased_email(person_id: int) -> str:
    return f"erased-{person_id}@erased.invalid"  # .invalid never resolves (RFC 2606)
