"""Onboarding: the mentors who have not set their availability or their contact rule yet."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class NudgeWeek:
    """A zone whose weekly nudge has opened: the keys its nudges and its mentors' welcomes are
    queued under (`nudge_key` and `welcome_key` are `(prefix, suffix)`, the mentor's id
    between), and when that week began there (a mentor welcomed since is not nudged yet)."""

    zone: str
    nudge_key: tuple[str, str]
    welcome_key: tuple[str, str]
    began: datetime


@dataclass(frozen=True)
class Unready:
    """An active mentor with something missing: what they have set so far."""

    mentor_id: int
    name: str
    zone: str
    has_availability: bool
    has_contact_rule: bool


class Onboarding(Protocol):
    def unready_zones(self, now: datetime) -> list[str]: ...
    def unready(
        self, now: datetime, weeks: Sequence[NudgeWeek], after: int, limit: int
    ) -> list[Unready]: ...
