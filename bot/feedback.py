"""The post-session survey: one answer per held session, and the rule that flags a student.

Two questions: how useful the session was (1–5) and an optional comment. Low scores in a row
are the advisors' concern (a flag to their channel), never an alert the mentor sees.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

SCORES = range(1, 6)


@dataclass(frozen=True)
class SessionFeedback:
    session_id: int
    student_id: int
    host_id: int
    asked_at: datetime
    answered_at: datetime | None = None
    score: int | None = None
    comment: str | None = None
    flagged_at: datetime | None = None


def low_streak(answers: Sequence[SessionFeedback], low: int, streak: int) -> bool:
    """The `streak` latest answers (newest first) all scored `low` or less, and none of them
    already raised the flag: one flag per streak, not one per further low answer."""
    latest = [a for a in answers if a.score is not None][:streak]
    if len(latest) < streak or any(a.flagged_at is not None for a in latest):
        return False
    return all(a.score is not None and a.score <= low for a in latest)
