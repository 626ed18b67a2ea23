"""Booking, listing, cancelling and moving sessions, under the contract's rules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from bot import calendar
from bot.commands import BookSession, CancelSession, Command, ListSessions, MoveSession
from bot.context import Context
from bot.domain import (
    Mentorship,
    NewSession,
    Notification,
    ProjectStatus,
    Role,
    Session,
    SessionKind,
)
from bot.errors import UserError
from bot.replies import Choice, Reply, Text
from bot.services import invites
from bot.services.session_changes import (
    check_movable,
    confirm_late,
    is_late_cancellation,
    move_refusal,
)
from bot.services.slots import Quota, buffer_of, check_rules, load_calendar, refusal
from bot.services.status import ensure_can_book

SLOTS_OFFERED = 8


def _mentorship(ctx: Context, *, lock: bool = False) -> Mentorship:
    ctx.require(Role.STUDENT)
    mentorship = ctx.uow.mentorships.for_student(ctx.actor.id, lock=lock)
    if mentorship is None:
        raise UserError("booking.no_mentorship")
    ensure_can_book(ctx, ctx.actor, mentorship.mentor_id)
    return mentorship


def check_slot(
    ctx: Context, mentorship: Mentorship, starts_at: datetime, moving: Session | None = None
) -> datetime:
    """Every booking rule for [starts_at, starts_at + contract length); returns the end."""
    host, student, length = mentorship.mentor_id, mentorship.student_id, mentorship.length
    cal = load_calendar(ctx, host, student, starts_at, starts_at + length, ctx.actor.zone)
    return check_rules(ctx, cal, starts_at, length, moving, Quota(mentorship, ctx.actor.zone))


def check_host_slot(
    ctx: Context, host_id: int, student_id: int, starts_at: datetime, length: timedelta
) -> datetime:
    """Notice, horizon, the host's availability and time off, then overlaps; returns the end."""
    cal = load_calendar(ctx, host_id, student_id, starts_at, starts_at + length, ctx.actor.zone)
    return check_rules(ctx, cal, starts_at, length)


def free_host_slots(
    ctx: Context, host_id: int, student_id: int, length: timedelta
) -> list[datetime]:
    """Every start of the horizon the host could take (a defense's validators), read once."""
    start = ctx.now + timedelta(hours=ctx.settings.book_min_notice_hours)
    end = ctx.now + timedelta(days=ctx.settings.booking_horizon_days)
    cal = load_calendar(ctx, host_id, student_id, start, end + length, ctx.actor.zone)
    buffer = buffer_of(ctx)
    return [
        slot
        for slot in cal.open_starts(start, end, length, buffer)
        if not cal.blocked(slot, slot + length, None, buffer)
        and refusal(ctx, cal, slot, length) is None
    ]


def free_slots(
    ctx: Context,
    mentorship: Mentorship,
    moving: Session | None = None,
    day: date | None = None,
    limit: int = SLOTS_OFFERED,
) -> list[datetime]:
    """The next bookable starts, checked against every rule, as the person would see them.

    The horizon's calendar is read once (three queries whatever it holds), then each candidate
    is checked in memory with the same rules as a booking; one the calendar blocks is refused
    by the overlap rule whatever the others say, so a bisection skips it first."""
    start = ctx.now + timedelta(hours=ctx.settings.book_min_notice_hours)
    end = ctx.now + timedelta(days=ctx.settings.booking_horizon_days)
    if day is not None:  # that day only, midnight to midnight where the student is
        first, last = calendar.day_bounds(day, day, ctx.actor.zone)
        start, end = max(start, first), min(end, last)
    length, buffer = mentorship.length, buffer_of(ctx)
    host, student = mentorship.mentor_id, mentorship.student_id
    # Every slot checked lies from `start` to `end + length` (the last may start at `end`).
    cal = load_calendar(ctx, host, student, start, end + length, ctx.actor.zone)
    quota = Quota(mentorship, ctx.actor.zone)
    used = cal.quota_used(quota, moving)
    found: list[datetime] = []
    for slot in cal.open_starts(start, end, length, buffer):
        if moving is not None and slot == moving.starts_at:
            continue
        if cal.blocked(slot, slot + length, moving, buffer):
            continue
        if refusal(ctx, cal, slot, length, moving, quota, used) is not None:
            continue
        found.append(slot)
        if len(found) == limit:
            break
    return found


def book(ctx: Context, command: BookSession) -> Reply:
    mentorship = _mentorship(ctx, lock=command.starts_at is not None)
    if command.starts_at is None:
        return _offer_page(ctx, mentorship, command)
    ends_at = check_slot(ctx, mentorship, command.starts_at)
    session = ctx.uow.sessions.add(
        NewSession(
            student_id=ctx.actor.id,
            host_id=mentorship.mentor_id,
            kind=SessionKind.MENTORING,
            starts_at=command.starts_at,
            ends_at=ends_at,
            join_url=invites.room_for(ctx, mentorship.mentor_id),
        ),
        at=ctx.now,
    )
    invites.announce(
        ctx,
        session.id,
        Notification(
            idempotency_key=f"session:{session.id}:booked",
            recipient_id=mentorship.mentor_id,
            key="notify.session_booked",
            params={"student": ctx.actor.name, "when": session.starts_at, "id": session.id},
        ),
        "booked",
    )
    ctx.uow.commit()
    return invites.confirmed(
        session,
        "booking.booked",
        id=session.id,
        when=session.starts_at,
        minutes=mentorship.session_minutes,
        mentor=ctx.name_of(mentorship.mentor_id),
    )


def _offer_page(ctx: Context, mentorship: Mentorship, command: BookSession) -> Reply:
    """A page of eight free slots (of a day, when one is given), and "more" when there are."""
    day = command.day
    return _slot_page(
        ctx,
        mentorship,
        command.page,
        lambda slot: BookSession(slot),
        lambda page: BookSession(None, day, page),
        "booking.pick_slot",
        day=day,
    )


def _slot_page(
    ctx: Context,
    mentorship: Mentorship,
    page: int,
    pick: Callable[[datetime], Command],
    more: Callable[[int], Command],
    title: str,
    moving: Session | None = None,
    day: date | None = None,
) -> Reply:
    """Page `page` of the free slots, eight at a time, each choice `pick(slot)`, then "more"
    (`more(page + 1)`) while the horizon holds others: `/book` and `/move` page alike."""
    slots = free_slots(ctx, mentorship, moving, day=day, limit=page * SLOTS_OFFERED + 1)
    shown = slots[(page - 1) * SLOTS_OFFERED : page * SLOTS_OFFERED]
    if not shown and day is not None:
        return Reply.say("week.no_slot_that_day", day=day)
    if not shown:
        return Reply.say("booking.no_free_slot", days=ctx.settings.booking_horizon_days)
    choices = [Choice(Text("choice.slot", {"when": s}), pick(s)) for s in shown]
    if len(slots) > page * SLOTS_OFFERED:
        choices.append(Choice(Text("week.more_slots"), more(page + 1)))
    return Reply((Text(title, {"minutes": mentorship.session_minutes}),), tuple(choices))


def list_sessions(ctx: Context, command: ListSessions) -> Reply:
    sessions = ctx.uow.sessions.upcoming(ctx.actor.id, ctx.now)
    if not sessions:
        return Reply.say("sessions.none")
    lines = [Text("sessions.title")]
    choices = []
    for session in sessions:
        other = session.host_id if session.student_id == ctx.actor.id else session.student_id
        lines.append(
            Text(
                f"sessions.line.{session.kind.value}",
                {"id": session.id, "when": session.starts_at, "with": ctx.name_of(other)},
            )
        )
        if session.join_url:
            lines.append(Text("meeting.join_line", {"url": session.join_url}))
        choices.append(Choice(Text("choice.cancel", {"id": session.id}), CancelSession(session.id)))
        if move_refusal(ctx, session) is None:
            move = MoveSession(session.id, None)
            choices.append(Choice(Text("choice.move", {"id": session.id}), move))
    return Reply(tuple(lines), tuple(choices))


def _own_session(ctx: Context, session_id: int) -> Session:
    session = ctx.uow.sessions.get(session_id)
    if session is None or ctx.actor.id not in (session.student_id, session.host_id):
        raise UserError("session.not_found", id=session_id)
    if not session.is_live:
        raise UserError("session.not_live", id=session_id)
    if session.starts_at <= ctx.now:
        raise UserError("session.started", id=session_id)
    return session


def _pick_session(ctx: Context, verb: str, action: Callable[[int], Command]) -> Reply:
    sessions = ctx.uow.sessions.upcoming(ctx.actor.id, ctx.now)
    sessions = [s for s in sessions if s.starts_at > ctx.now]
    if not sessions:
        return Reply.say("sessions.none")
    if verb == "move":  # only what can be moved is offered
        sessions = [s for s in sessions if move_refusal(ctx, s) is None]
        if not sessions:
            return Reply.say("move.nothing_movable")
    choices = tuple(
        Choice(Text("choice.session", {"id": s.id, "when": s.starts_at}), action(s.id))
        for s in sessions
    )
    return Reply((Text(f"{verb}.pick_session"),), choices)


def _other_party(ctx: Context, session: Session) -> int:
    return session.host_id if ctx.actor.id == session.student_id else session.student_id


def cancel(ctx: Context, command: CancelSession) -> Reply:
    if command.session_id is None:
        return _pick_session(ctx, "cancel", CancelSession)
    session = _own_session(ctx, command.session_id)
    if (question := confirm_late(ctx, session, command)) is not None:
        return question  # counts as an absence: asked first, nothing changed yet
    late = is_late_cancellation(ctx, session)
    ctx.uow.sessions.cancel(session.id, by=ctx.actor.id, at=ctx.now, late=late)
    ctx.uow.outbox.discard_pending(f"reminder:{session.id}:", ctx.now)
    if session.kind == SessionKind.DEFENSE and session.project_position is not None:
        ctx.uow.paths.set_status(
            session.student_id, session.project_position, ProjectStatus.READY, ctx.now
        )
    invites.announce(
        ctx,
        session.id,
        Notification(
            idempotency_key=f"session:{session.id}:cancelled",
            recipient_id=_other_party(ctx, session),
            key="notify.session_cancelled_late" if late else "notify.session_cancelled",
            params={
                "by": ctx.actor.name,
                "when": session.starts_at,
                "id": session.id,
                "hours": ctx.settings.cancel_min_notice_hours,
            },
        ),
        "cancelled",
    )
    ctx.uow.commit()
    if late:
        return Reply.say(
            "cancel.done_late", id=session.id, hours=ctx.settings.cancel_min_notice_hours
        )
    return Reply.say("cancel.done", id=session.id, when=session.starts_at)


def move(ctx: Context, command: MoveSession) -> Reply:
    if command.session_id is None:
        return _pick_session(ctx, "move", lambda number: MoveSession(number, None))
    session = _own_session(ctx, command.session_id)
    check_movable(ctx, session, command.starts_at)
    mentorship = ctx.uow.mentorships.for_student(session.student_id, lock=True)
    if mentorship is None:
        raise UserError("booking.no_mentorship")
    student_view = _as_student(ctx, session)
    if command.starts_at is None:
        return _slot_page(
            student_view,
            mentorship,
            command.page,
            lambda slot: MoveSession(session.id, slot),
            lambda page: MoveSession(session.id, None, page),
            "move.pick_slot",
            moving=session,
        )
    try:
        ends_at = check_slot(student_view, mentorship, command.starts_at, moving=session)
    except UserError as refusal:
        raise _for_host(ctx, session, refusal) from None
    ctx.uow.sessions.reschedule(session.id, command.starts_at, ends_at)
    ctx.uow.outbox.discard_pending(f"reminder:{session.id}:", ctx.now)
    invites.announce(
        ctx,
        session.id,
        Notification(
            idempotency_key=f"session:{session.id}:moved:{session.move_count + 1}",
            recipient_id=_other_party(ctx, session),
            key="notify.session_moved",
            params={
                "by": ctx.actor.name,
                "before": session.starts_at,
                "when": command.starts_at,
                "id": session.id,
            },
        ),
        "moved",
    )
    ctx.uow.commit()
    return invites.confirmed(session, "move.done", id=session.id, when=command.starts_at)


def _as_student(ctx: Context, session: Session) -> Context:
    """Quota weeks are the student's, even when the mentor moves the session."""
    if ctx.actor.id == session.student_id:
        return ctx
    student = ctx.uow.people.get(session.student_id)
    if student is None:
        raise UserError("session.not_found", id=session.id)
    return Context(ctx.uow, student, ctx.now, ctx.settings)


def _for_host(ctx: Context, session: Session, refusal: UserError) -> UserError:
    """Outside the student's hours, said to a mentor moving the session as their own hours
    for that student (the check ran on the student's clock, as the student)."""
    if refusal.key != "hours.outside" or ctx.actor.id == session.student_id:
        return refusal
    student = ctx.name_of(session.student_id)
    return UserError("hours.outside_for_host", student=student, **refusal.params)
