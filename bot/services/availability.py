"""A mentor's (or validator's) weekly availability and time off."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bot import calendar
from bot.commands import (
    AddAvailability,
    AddTimeOff,
    ListAvailability,
    RemoveAvailability,
    RemoveTimeOff,
)
from bot.context import Context
from bot.domain import Role, WeeklyAvailability
from bot.errors import UserError
from bot.local_days import days_of, first_day_in
from bot.replies import Reply, Text
from bot.student_hours import line as hours_line
from bot.weekly import WeeklyHours

WEEKDAY_KEYS = ("day.mon", "day.tue", "day.wed", "day.thu", "day.fri", "day.sat", "day.sun")


def _day(weekday: int) -> Text:
    return Text(WEEKDAY_KEYS[weekday])


def add(ctx: Context, command: AddAvailability) -> Reply:
    ctx.require(Role.MENTOR, Role.VALIDATOR)
    _long_enough(ctx, command)
    for rule in ctx.uow.availability.weekly(ctx.actor.id):
        if rule.weekday in command.weekdays and (
            rule.starts < command.ends and command.starts < rule.ends
        ):
            raise UserError(
                "availability.overlaps", day=_day(rule.weekday), starts=rule.starts, ends=rule.ends
            )
    for weekday in command.weekdays:
        ctx.uow.availability.add_weekly(
            ctx.actor.id, weekday, command.starts, command.ends, ctx.actor.timezone
        )
    ctx.uow.commit()
    if len(command.weekdays) == 1:
        return Reply.say(
            "availability.added",
            day=_day(command.weekdays[0]),
            starts=command.starts,
            ends=command.ends,
            zone=ctx.actor.timezone,
        )
    hours = WeeklyHours(command.weekdays, command.starts, command.ends, ctx.actor.timezone, ctx.now)
    return Reply.say("week.availability_added_days", hours=hours)


def _long_enough(ctx: Context, command: AddAvailability) -> None:
    """A window no session fits in would be offered to nobody: refused, with the length."""
    minutes = _shortest_session(ctx)
    day = date(2000, 1, 3)  # any day: only the clock times are compared
    span = datetime.combine(day, command.ends) - datetime.combine(day, command.starts)
    if minutes and span < timedelta(minutes=minutes):
        raise UserError("week.availability_too_short", minutes=minutes)


def _shortest_session(ctx: Context) -> int | None:
    """The shortest session this person hosts: their students' contracts, or a defense."""
    lengths = [m.session_minutes for m in ctx.uow.mentorships.for_mentor(ctx.actor.id)]
    if ctx.actor.has(Role.VALIDATOR):
        lengths.append(ctx.settings.defense_minutes)
    return min(lengths, default=None)


def remove(ctx: Context, command: RemoveAvailability) -> Reply:
    ctx.require(Role.MENTOR, Role.VALIDATOR)
    wanted = {(day, command.starts, command.ends) for day in command.weekdays}
    found = [r for r in ctx.uow.availability.weekly(ctx.actor.id) if _key(r) in wanted]
    if len(found) != len(wanted):
        raise UserError("availability.no_such_window")
    for rule in found:
        ctx.uow.availability.remove_weekly(rule.id)
    ctx.uow.commit()
    if len(found) == 1:
        rule = found[0]
        return Reply.say(
            "availability.removed", day=_day(rule.weekday), starts=rule.starts, ends=rule.ends
        )
    hours = WeeklyHours(command.weekdays, command.starts, command.ends, ctx.actor.timezone, ctx.now)
    return Reply.say("week.availability_removed_days", hours=hours)


def _key(rule: WeeklyAvailability) -> tuple[int, time, time]:
    return (rule.weekday, rule.starts, rule.ends)


def add_time_off(ctx: Context, command: AddTimeOff) -> Reply:
    ctx.require(Role.MENTOR, Role.VALIDATOR)
    if command.last_day < ctx.now.astimezone(ctx.actor.zone).date():
        raise UserError("availability.off_in_past")
    starts_at, ends_at = calendar.day_bounds(command.first_day, command.last_day, ctx.actor.zone)
    off = ctx.uow.availability.add_time_off(
        ctx.actor.id, command.first_day, command.last_day, starts_at, ends_at
    )
    booked = [
        s
        for s in ctx.uow.sessions.overlapping([ctx.actor.id], starts_at, ends_at)
        if s.is_live and s.host_id == ctx.actor.id
    ]
    ctx.uow.commit()
    lines = [Text("availability.off_added", days_of(off))]
    if booked:
        ids = ", ".join(f"#{s.id}" for s in booked)
        lines.append(Text("availability.off_has_sessions", {"ids": ids}))
    return Reply(tuple(lines))


def remove_time_off(ctx: Context, command: RemoveTimeOff) -> Reply:
    """A time off taken back (plans changed): its days are bookable again."""
    ctx.require(Role.MENTOR, Role.VALIDATOR)
    offs = ctx.uow.availability.time_off(ctx.actor.id, since=ctx.now)
    # The day typed is the mentor's: as they took it, or as their clock shows it since a move.
    day, zone = command.first_day, ctx.actor.zone
    off = next((o for o in offs if day in (o.first_day, first_day_in(o, zone))), None)
    if off is None:
        raise UserError("week.no_such_time_off", first=command.first_day)
    ctx.uow.availability.remove_time_off(off.id)
    ctx.uow.commit()
    return Reply.say("week.time_off_removed", **days_of(off))


def list_(ctx: Context, command: ListAvailability) -> Reply:
    ctx.require(Role.MENTOR, Role.VALIDATOR)
    rules, hours = ctx.uow.availability.weekly_and_hours(ctx.actor.id)
    offs = ctx.uow.availability.time_off(ctx.actor.id, since=ctx.now)
    if not rules and not offs:
        empty = Text("availability.empty")
        return Reply((empty, hours_line(hours)) if hours else (empty,))
    lines = [Text("availability.title", {"zone": ctx.actor.timezone})]
    # Each window in the reader's zone (its own zone named when the mentor has moved since).
    lines += [
        Text(
            "availability.hours_line",
            {"hours": WeeklyHours((r.weekday,), r.starts, r.ends, r.timezone, ctx.now)},
        )
        for r in rules
    ]
    lines += [Text("availability.off_line", days_of(o)) for o in offs]  # on the reader's calendar
    if hours is not None:  # on each student's clock, so no zone to convert
        lines.append(hours_line(hours))
    if offs:  # how to take one back, as the list is where one looks for it
        lines.append(Text("week.time_off_hint"))
    return Reply(tuple(lines))
