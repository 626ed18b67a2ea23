"""`/mentorbot meeting [URL|off]` (a host's own room) and `/mentorbot calendar [reset]` (a
person's private feed): actions of `/mentorbot`, declared here, listed in `settings`."""

from __future__ import annotations

from bot import commands as c
from bot.errors import UserError
from bot.registry.model import MENTOR, VALIDATOR, Action, Help, Kind, Option

OFF = ("off", "none", "aucune", "non")
RESET = ("reset", "nouveau", "renouveler")


def _one_word(text: str) -> str | None:
    """The one value these take; more words are a typing mistake, not something to ignore."""
    words = text.split()
    if len(words) > 1:
        raise UserError("usage.mentorbot")
    return words[0] if words else None


def meeting(value: str | None) -> c.Command:
    if value is not None and value.lower() in OFF:
        return c.SetMeetingRoom(None, clear=True)
    return c.SetMeetingRoom(value)


def calendar(value: str | None) -> c.Command:
    if value is None:
        return c.ShowCalendarFeed()
    if value.lower() in RESET:
        return c.ShowCalendarFeed(reset=True)
    raise UserError("usage.mentorbot")


ACTIONS = (
    Action(
        "meeting",
        "mentorbot_meeting",
        lambda text, zone: meeting(_one_word(text)),
        lambda v: meeting(v.text("url")),
        (Option("url", Kind.TEXT, max_length=500),),
        ("salle", "visio"),
        {c.SetMeetingRoom: "calendars.meeting_room"},
    ),
    Action(
        "calendar",
        "mentorbot_calendar",
        lambda text, zone: calendar(_one_word(text)),
        lambda v: c.ShowCalendarFeed(reset=bool(v.flag("reset"))),
        (Option("reset", Kind.BOOL),),
        ("agenda",),
        {c.ShowCalendarFeed: "calendars.calendar_feed"},
    ),
)
HELP = (Help("help.meeting", MENTOR | VALIDATOR), Help("help.calendar"))
