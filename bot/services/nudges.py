"""The weekly onboarding nudge: a mentor who has not published availability or said how to
reach them between sessions is told, once a week, which is missing and the command that sets
it, until both are set.

It goes out on the schedule's weekday and time in each mentor's own zone (as check-ins do),
through the outbox under one key per mentor and ISO week, so a second run in the week queues
nothing; a mentor welcomed this week (the welcome already says both) waits for the next one.
Set-based: a few statements whatever the number of mentors."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.commands import SetContactRule
from bot.domain import ContactRule, Notification, Role
from bot.ports import UnitOfWork
from bot.ports.onboarding import NudgeWeek, Unready
from bot.replies import Choice, Text
from bot.settings import Settings, parse_checkin_schedule
from bot.weeks import week_of

BATCH = 2_000  # mentors per transaction, as the other jobs write (bot/scheduled.py)
WELCOME_KEY = ("welcome:", f":{Role.MENTOR.value}")  # the mentor's welcome (services/welcome.py)
CONTACT_CHOICES = tuple(  # the two rules that need no hours, as /contact's menu offers them
    Choice(Text(f"contact.rule.{rule.value}"), SetContactRule(rule))
    for rule in (ContactRule.ASYNC, ContactRule.NONE)
)


def nudges(uow: UnitOfWork, now: datetime, settings: Settings) -> int:
    """The job: this week's nudge for each unready mentor whose local nudge time has come."""
    weekday, at = parse_checkin_schedule(settings.nudge_schedule)
    weeks = {
        week.zone: week
        for zone in uow.onboarding.unready_zones(now)
        if (week := _opened(now, zone, weekday, at)) is not None
    }
    queued, after = 0, 0
    while batch := uow.onboarding.unready(now, list(weeks.values()), after, BATCH):
        uow.outbox.add_many([_nudge(mentor, weeks[mentor.zone]) for mentor in batch], now)
        uow.commit()  # batch by batch: no command waits long behind the job
        queued += len(batch)
        after = batch[-1].mentor_id
    return queued


def _opened(now: datetime, zone: str, weekday: int, at: time) -> NudgeWeek | None:
    """The zone's week, once its nudge day and time have come there."""
    local_zone = ZoneInfo(zone)
    week = week_of(now, local_zone)
    monday = week.starts_at.astimezone(local_zone).date()
    opens = datetime.combine(monday + timedelta(days=weekday), at, local_zone)
    if now < opens:
        return None
    year, number = week.iso
    return NudgeWeek(zone, ("nudge:", f":{year}-W{number:02d}"), WELCOME_KEY, week.starts_at)


def _nudge(mentor: Unready, week: NudgeWeek) -> Notification:
    prefix, suffix = week.nudge_key
    if not mentor.has_availability and not mentor.has_contact_rule:
        missing = "both"
    else:
        missing = "contact" if mentor.has_availability else "availability"
    return Notification(
        f"{prefix}{mentor.mentor_id}{suffix}",
        mentor.mentor_id,
        f"nudge.{missing}",
        {"name": mentor.name},
        choices=CONTACT_CHOICES if missing != "availability" else (),
    )
