"""What may still change about a booked session, decided once for the commands and the lists
that offer them: a move (a mentoring session, outside the notice, under the cap, to another
slot), and a student's late cancellation (inside the notice: it counts as an absence, so it is
confirmed first and the mentor is told it was late)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.commands import CancelSession
from bot.context import Context
from bot.domain import Session, SessionKind
from bot.errors import UserError
from bot.replies import Choice, Reply, Text


def move_refusal(ctx: Context, session: Session) -> UserError | None:
    """Why this session cannot be moved now, or None when it can."""
    if session.kind != SessionKind.MENTORING:
        return UserError("move.not_mentoring")
    if session.starts_at - ctx.now < timedelta(hours=ctx.settings.move_min_notice_hours):
        return UserError("move.too_late", hours=ctx.settings.move_min_notice_hours)
    if session.move_count >= ctx.settings.max_moves_per_session:
        return UserError("move.cap_reached", cap=ctx.settings.max_moves_per_session)
    return None


def check_movable(ctx: Context, session: Session, to: datetime | None = None) -> None:
    refusal = move_refusal(ctx, session)
    if refusal is not None:
        raise refusal
    if to is not None and to == session.starts_at:
        raise UserError("move.same_slot", id=session.id, when=session.starts_at)


def is_late_cancellation(ctx: Context, session: Session) -> bool:
    """Only the student's own cancellation inside the notice counts like an absence."""
    notice = timedelta(hours=ctx.settings.cancel_min_notice_hours)
    return ctx.actor.id == session.student_id and session.starts_at - ctx.now < notice


def confirm_late(ctx: Context, session: Session, command: CancelSession) -> Reply | None:
    """The question to answer before a late cancellation; None once it is confirmed (a
    button, or `/cancel N confirm` typed), or when the cancellation is not late."""
    if command.confirmed or not is_late_cancellation(ctx, session):
        return None
    hours = ctx.settings.cancel_min_notice_hours
    confirm = CancelSession(session.id, confirmed=True)
    return Reply(
        (
            Text(
                "cancel.confirm_late", {"id": session.id, "when": session.starts_at, "hours": hours}
            ),
        ),
        (Choice(Text("choice.confirm_late_cancel", {"id": session.id}), confirm),),
    )
