"""A student given another mentor: the questions still waiting for the old mentor (held for
their contact window, or for a rule they never set) are never delivered to them. They go to
the new mentor under the new mentor's rule (at once, kept for the session, or held for the new
mentor's window), and the student is told what became of each; a question still waiting for the
student's own choice (mentor or advisor) simply follows to the new mentor."""

from __future__ import annotations

from datetime import datetime

from bot.domain import Decision, Notification, Person
from bot.ports import UnitOfWork
from bot.safety import neutralise
from bot.services.contact import decide

WAITING = (Decision.HELD, Decision.AWAITING_RULE)  # decided again under the new rule
UNDECIDED = (Decision.AWAITING_CHOICE,)  # the student's choice, later, reaches the new mentor


def hand_over(
    uow: UnitOfWork,
    student: Person,
    old_mentor_id: int,
    new_mentor_id: int,
    names: tuple[str, str],
    now: datetime,
) -> int:
    """Move the student's waiting questions to the new mentor; returns how many were decided
    again. `names` are the old and the new mentor's, for the student's message."""
    moved = uow.questions.hand_over(
        student.id, old_mentor_id, new_mentor_id, (*WAITING, *UNDECIDED)
    )
    waiting = [q for q in moved if q.decision in WAITING]
    if not waiting:
        return 0
    policy = uow.contact.effective(student.id)  # the new mentor's: the student's own was dropped
    old, new = names
    for question in waiting:
        uow.outbox.discard_pending(f"question:{question.id}:relay", now)  # the old mentor's
        outcome = decide(uow, question, policy, now, again=True)
        uow.outbox.add(
            Notification(
                f"question:{question.id}:handed-over:{now.isoformat()}",
                student.id,
                "handover.question",
                {
                    "text": neutralise(question.text[:120]),
                    "old": old,
                    "mentor": new,
                    "outcome": outcome.lines[0],
                },
            ),
            now,
        )
    return len(waiting)
