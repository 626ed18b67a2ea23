"""Advisors pause and resume a person. A paused student cannot book, gets no check-ins, no quota
and no risk counting; a mentor on leave is a time off for all their students, who are told.
Each pause is kept as a period, so the weeks it covered never count toward disengagement."""

from __future__ import annotations

from bot.commands import SetPersonStatus
from bot.context import Context
from bot.domain import Notification, Person, PersonStatus, Role, Session
from bot.errors import UserError
from bot.replies import Reply, Text
from bot.services import invites
from bot.services.people import resolve


def set_status(ctx: Context, command: SetPersonStatus) -> Reply:
    ctx.require(Role.ADVISOR)
    person = resolve(ctx, command.person)
    if person.status == command.status:
        return Reply.say(f"status.already_{command.status.value}", name=person.name)
    ctx.uow.people.update(person.id, status=command.status)
    pausing = command.status == PersonStatus.PAUSED
    if pausing:
        ctx.uow.pauses.start(person.id, ctx.now)
    else:
        ctx.uow.pauses.end(person.id, ctx.now)
    lines = [Text(_said(person, command.status), {"name": person.name})]
    if person.has(Role.MENTOR):
        lines += _mentor_leave(ctx, person, pausing)
    if person.has(Role.STUDENT):
        lines += _student_pause(ctx, person, pausing)
    ctx.uow.commit()
    return Reply(tuple(lines))


def _said(person: Person, status: PersonStatus) -> str:
    """What the advisor reads: a mentor (who is not also a student) goes on leave, since
    check-ins and risk counting were never theirs."""
    if status == PersonStatus.PAUSED and person.has(Role.MENTOR) and not person.has(Role.STUDENT):
        return "status.mentor_on_leave"
    return f"status.{status.value}"


def _student_pause(ctx: Context, student: Person, pausing: bool) -> list[Text]:
    """The student is told; while paused their upcoming sessions are cancelled (both told)."""
    mentorship = ctx.uow.mentorships.for_student(student.id)
    cancelled: list[Session] = []
    if pausing and mentorship is not None:
        cancelled = ctx.uow.sessions.upcoming_with(student.id, mentorship.mentor_id, ctx.now)
        for session in cancelled:
            cancel_for(ctx, session, "pause.session_cancelled", {"student": student.name})
    state = "paused" if pausing else "resumed"
    _tell(ctx, student.id, f"pause.student_{state}", {"url": ctx.settings.advisor_contact_url})
    if mentorship is not None:
        _tell(ctx, mentorship.mentor_id, f"pause.mentor_told_{state}", {"student": student.name})
    return [Text("pause.cancelled_sessions", {"count": len(cancelled)})] if cancelled else []


def _mentor_leave(ctx: Context, mentor: Person, leaving: bool) -> list[Text]:
    """Leave is a time off for every student of the mentor: told, sessions cancelled."""
    students = ctx.uow.mentorships.for_mentor(mentor.id)
    cancelled = 0
    for mentorship in students:
        if leaving:
            for session in ctx.uow.sessions.upcoming_with(
                mentorship.student_id, mentor.id, ctx.now
            ):
                cancel_for(ctx, session, "pause.leave_session_cancelled", {"mentor": mentor.name})
                cancelled += 1
        state = "leave" if leaving else "back"
        _tell(
            ctx,
            mentorship.student_id,
            f"pause.mentor_{state}",
            {"mentor": mentor.name, "url": ctx.settings.advisor_contact_url},
        )
    return [Text("pause.students_told", {"count": len(students), "cancelled": cancelled})]


def cancel_for(ctx: Context, session: Session, key: str, params: dict[str, object]) -> None:
    """Cancel a session the programme can no longer hold (never late: nobody chose it), and
    tell both people; its reminders are dropped."""
    ctx.uow.sessions.cancel(session.id, by=ctx.actor.id, at=ctx.now, late=False)
    ctx.uow.outbox.discard_pending(f"reminder:{session.id}:", ctx.now)
    for person in (session.student_id, session.host_id):
        ctx.notify(
            Notification(
                idempotency_key=f"session:{session.id}:cancelled:{key}:{person}",
                recipient_id=person,
                key=key,
                params={**params, "id": session.id, "when": session.starts_at},
                attachments=invites.cancelled_invite(ctx.uow, session.id, person, ctx.now),
            )
        )


def _tell(ctx: Context, person_id: int, key: str, params: dict[str, object]) -> None:
    ctx.notify(
        Notification(
            idempotency_key=f"pause:{person_id}:{key}:{ctx.now.isoformat()}",
            recipient_id=person_id,
            key=key,
            params=params,
        )
    )


def ensure_can_book(ctx: Context, student: Person, mentor_id: int | None = None) -> None:
    """A paused student, or a mentor on leave: no booking, and the advisor's link."""
    url = ctx.settings.advisor_contact_url
    if student.status == PersonStatus.PAUSED:
        raise UserError("pause.cannot_book", url=url)
    mentor = ctx.uow.people.get(mentor_id) if mentor_id is not None else None
    if mentor is not None and mentor.status == PersonStatus.PAUSED:
        raise UserError("pause.mentor_on_leave", mentor=mentor.name, url=url)
