"""A student given another mentor (a roster import): the old mentor's upcoming sessions with
them are cancelled and both told, the student learns who their mentor is now, the new
mentor is greeted with the student and the contract, and the student's questions still waiting
for the old mentor go to the new one (bot/services/handover.py)."""

from __future__ import annotations

from datetime import datetime

from bot.domain import Mentorship, Notification, Person
from bot.ports import UnitOfWork
from bot.services import invites
from bot.services.handover import hand_over


def reassign(
    uow: UnitOfWork, student: Person, before: Mentorship, after: Mentorship, now: datetime
) -> int:
    """Apply the change of mentor's consequences; returns the sessions cancelled."""
    old, new = uow.people.get(before.mentor_id), uow.people.get(after.mentor_id)
    old_name, new_name = old.name if old else "?", new.name if new else "?"
    sessions = uow.sessions.upcoming_with(student.id, before.mentor_id, now)
    notes = []
    stamp = now.isoformat()
    for session in sessions:
        uow.sessions.cancel(session.id, by=None, at=now, late=False)
        uow.outbox.discard_pending(f"reminder:{session.id}:", now)
        params = {"id": session.id, "when": session.starts_at, "student": student.name}
        notes += [
            Notification(
                f"session:{session.id}:reassigned:{person}",
                person,
                key,
                {**params, "mentor": new_name},
                attachments=invites.cancelled_invite(uow, session.id, person, now),
            )
            for person, key in (
                (student.id, "reassign.session_cancelled_student"),
                (before.mentor_id, "reassign.session_cancelled_mentor"),
            )
        ]
    notes += [
        Notification(
            f"reassign:{student.id}:{stamp}:old",
            before.mentor_id,
            "reassign.old_mentor",
            {"student": student.name, "mentor": new_name, "count": len(sessions)},
        ),
        Notification(
            f"reassign:{student.id}:{stamp}:student",
            student.id,
            "reassign.student",
            {"old": old_name, "mentor": new_name, "count": len(sessions)},
        ),
        Notification(
            f"reassign:{student.id}:{stamp}:new",
            after.mentor_id,
            "reassign.new_mentor",
            {
                "student": student.name,
                "old": old_name,
                "path": after.path or "–",
                "minutes": after.session_minutes,
                "per_week": after.sessions_per_week,
            },
        ),
    ]
    uow.outbox.add_many(notes, now)
    # After the student's "your mentor is now…": what became of their waiting questions.
    hand_over(uow, student, before.mentor_id, after.mentor_id, (old_name, new_name), now)
    return len(sessions)
