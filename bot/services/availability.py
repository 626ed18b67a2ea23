"""A mentor's (or validator's) weekly availability and time off."""

from __future__ import annotations

from bot import calendar
from bot.commands import AddAvailability, AddTimeOff, ListAvailability, RemoveAvailability
from bot.context import Context
from bot.domain import Role
from bot.errors import UserError
from bot.replies import Reply, Text
from bot.weekly import WeeklyHours

WEEKDAY_KEYS = ("day.mon", "day.tue", "day.wed", "day.thu", "day.fri", "day.sat", "day.sun")


def _day(weekday: int) -> Text:
    return Text(WEEKDAY_KEYS[weekday])


def add(ctx: Context, command: AddAvailability) -> Reply:
    ctx.require(Role.MENTOR, Role.VALIDATOR)
    for rule in ctx.uow.availability.weekly(ctx.actor.id):
        if rule.weekday == command.weekday and (
            rule.starts < command.ends and command.starts < rule.ends
        ):
            raise UserError(
                "availability.overlaps", day=_day(rule.weekday), starts=rule.starts, ends=rule.ends
            )
    ctx.uow.availability.add_weekly(
        ctx.actor.id, command.weekday, command.starts, command.ends, ctx.actor.timezone
    )
    ctx.uow.commit()
    return Reply.say(
        "availability.added",
        day=_day(command.weekday),
        starts=command.starts,
        ends=command.ends,
        zone=ctx.actor.timezone,
    )


def remove(ctx: Context, command: RemoveAvailability) -> Reply:
    ctx.require(Role.MENTOR, Role.VALIDATOR)
    for rule in ctx.uow.availability.weekly(ctx.actor.id):
        if (rule.weekday, rule.starts, rule.ends) == (
            command.weekday,
            command.starts,
            command.ends,
        ):
            ctx.uow.availability.remove_weekly(rule.id)
            ctx.uow.commit()
            return Reply.say(
                "availability.removed",
                day=_day(rule.weekday),
                starts=rule.starts,
                ends=rule.ends,
            )
    raise UserError("availability.no_such_window")


def add_time_off(ctx: Context, command: AddTimeOff) -> Reply:
    ctx.require(Role.MENTOR, Role.VALIDATOR)
    if command.last_day < ctx.now.astimezone(ctx.actor.zone).date():
        raise UserError("availability.off_in_past")
    starts_at, ends_at = calendar.day_bounds(command.first_day, command.last_day, ctx.actor.zone)
    ctx.uow.availability.add_time_off(
        ctx.actor.id, command.first_day, command.last_day, starts_at, ends_at
    )
    booked = [
        s
        for s in ctx.uow.sessions.overlapping([ctx.actor.id], starts_at, ends_at)
        if s.is_live and s.host_id == ctx.actor.id
    ]
    ctx.uow.commit()
    lines = [Text("availability.off_added", {"first": command.first_day, "last": command.last_day})]
    if booked:
        ids = ", ".join(f"#{s.id}" for s in booked)
        lines.append(Text("availability.off_has_sessions", {"ids": ids}))
    return Reply(tuple(lines))


def list_(ctx: Context, command: ListAvailability) -> Reply:
    ctx.require(Role.MENTOR, Role.VALIDATOR)
    rules = ctx.uow.availability.weekly(ctx.actor.id)
    offs = ctx.uow.availability.time_off(ctx.actor.id, since=ctx.now)
    if not rules and not offs:
        return Reply.say("availability.empty")
    lines = [Text("availability.title", {"zone": ctx.actor.timezone})]
    # Each window in the reader's zone (its own zone named when the mentor has moved since).
    lines += [
        Text(
            "availability.hours_line",
            {"hours": WeeklyHours((r.weekday,), r.starts, r.ends, r.timezone, ctx.now)},
        )
        for r in rules
    ]
    lines += [
        Text("availability.off_line", {"first": o.first_day, "last": o.last_day}) for o in offs
    ]
    return Reply(tuple(lines))
