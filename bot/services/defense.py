"""Booking a project's defense with a validator who is not the student's own mentor."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.commands import BookDefense
from bot.context import Context
from bot.domain import (
    Mentorship,
    NewSession,
    Notification,
    Person,
    ProjectStatus,
    Role,
    SessionKind,
)
from bot.errors import UserError
from bot.replies import Choice, Reply, Text
from bot.services import invites
from bot.services.booking import SLOTS_OFFERED, check_host_slot, free_host_slots
from bot.services.paths import standing
from bot.services.status import ensure_can_book


def book_defense(ctx: Context, command: BookDefense) -> Reply:
    ctx.require(Role.STUDENT)
    mentorship = ctx.uow.mentorships.for_student(ctx.actor.id, lock=True)
    if mentorship is None:
        raise UserError("booking.no_mentorship")
    ensure_can_book(ctx, ctx.actor)  # a paused student books no defense either
    current = standing(ctx.uow, ctx.actor.id, ctx.now).current
    if current is None or current[1].status != ProjectStatus.READY:
        status = current[1].status if current else None
        if status == ProjectStatus.DEFENSE_BOOKED:
            raise UserError("defense.already_booked")
        raise UserError("defense.not_ready")
    project = current[0]
    validators = _validators(ctx, mentorship)
    if command.starts_at is None:
        return _offer(ctx, validators, project.title)
    for validator in validators:
        try:
            ends_at = check_host_slot(
                ctx, validator.id, ctx.actor.id, command.starts_at, _length(ctx)
            )
        except UserError:
            continue
        session = ctx.uow.sessions.add(
            NewSession(
                ctx.actor.id,
                validator.id,
                SessionKind.DEFENSE,
                command.starts_at,
                ends_at,
                project.position,
                join_url=invites.room_for(ctx, validator.id),  # the validator's room
            ),
            at=ctx.now,
        )
        ctx.uow.paths.set_status(
            ctx.actor.id, project.position, ProjectStatus.DEFENSE_BOOKED, ctx.now
        )
        invites.announce(
            ctx,
            session.id,
            Notification(
                idempotency_key=f"session:{session.id}:booked",
                recipient_id=validator.id,
                key="notify.defense_booked",
                params={
                    "student": ctx.actor.name,
                    "when": session.starts_at,
                    "id": session.id,
                    "project": project.title,
                },
            ),
            "booked",
        )
        ctx.uow.commit()
        return invites.confirmed(
            session,
            "defense.booked",
            id=session.id,
            when=session.starts_at,
            validator=validator.name,
            project=project.title,
        )
    raise UserError("defense.no_validator_free")


def _length(ctx: Context) -> timedelta:
    return timedelta(minutes=ctx.settings.defense_minutes)


def _validators(ctx: Context, mentorship: Mentorship) -> list[Person]:
    """Every active validator but the student's own mentor, who may not judge their mentee."""
    return [v for v in ctx.uow.people.with_role(Role.VALIDATOR) if v.id != mentorship.mentor_id]


def _offer(ctx: Context, validators: list[Person], project: str) -> Reply:
    free: set[datetime] = set()
    for validator in validators:
        free.update(free_host_slots(ctx, validator.id, ctx.actor.id, _length(ctx)))
    if not free:
        return Reply.say("defense.no_slot", days=ctx.settings.booking_horizon_days)
    choices = tuple(
        Choice(Text("choice.slot", {"when": slot}), BookDefense(slot))
        for slot in sorted(free)[:SLOTS_OFFERED]
    )
    return Reply(
        (Text("defense.pick_slot", {"project": project, "minutes": ctx.settings.defense_minutes}),),
        choices,
    )
