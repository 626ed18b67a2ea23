"""Rooms and feeds: a host's own meeting room, and each person's private calendar feed.

A feed's address holds a random token; only its SHA-256 is kept, so the database cannot give
an address away. `/mentorbot calendar` shows a new address once; asked again, it says one
exists (`reset` replaces it, and the old address stops working at once).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from bot import ical
from bot.commands import SetMeetingRoom, ShowCalendarFeed
from bot.context import Context
from bot.domain import Role
from bot.errors import UserError
from bot.i18n import Renderer
from bot.meeting import checked_room, join_url
from bot.ports import UnitOfWork
from bot.replies import Reply, Text
from bot.services import invites
from bot.settings import Settings

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,100}")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def meeting_room(ctx: Context, command: SetMeetingRoom) -> Reply:
    ctx.require(Role.MENTOR, Role.VALIDATOR)
    current = ctx.uow.calendars.meeting_room(ctx.actor.id)
    if command.url is None and not command.clear:
        if current is None:
            generated = ctx.settings.meeting_url_template is not None
            return Reply.say("meeting.none" if not generated else "meeting.generated")
        return Reply.say("meeting.current", url=current)
    room = None if command.clear else checked_room(command.url or "")
    ctx.uow.calendars.set_meeting_room(ctx.actor.id, room, ctx.now)
    changed = _relink_upcoming(ctx, current, room)
    ctx.uow.commit()
    if room is None:
        return Reply.say("meeting.cleared", sessions=changed)
    return Reply.say("meeting.set", url=room, sessions=changed)


def _relink_upcoming(ctx: Context, before: str | None, room: str | None) -> int:
    """Sessions to come move to the new room (with updated invites); a generated room stays
    unless the host now has a room of their own."""
    changed = 0
    for session in ctx.uow.calendars.hosted_upcoming(ctx.actor.id, ctx.now):
        if room is None and session.join_url != before:
            continue  # a generated room: still valid
        if session.join_url == room:
            continue
        link = join_url(room, ctx.settings.meeting_url_template)
        ctx.uow.calendars.relink(session.id, link)
        invites.announce(ctx, session.id, None, "room")
        changed += 1
    return changed


def calendar_feed(ctx: Context, command: ShowCalendarFeed) -> Reply:
    base = ctx.settings.public_url
    if base is None:
        raise UserError("calendar.not_served")
    if not command.reset and ctx.uow.calendars.has_feed(ctx.actor.id):
        return Reply.say("calendar.exists")
    token = secrets.token_urlsafe(32)
    ctx.uow.calendars.set_feed_token(ctx.actor.id, token_hash(token), ctx.now)
    ctx.uow.commit()
    key = "calendar.reset" if command.reset else "calendar.address"
    return Reply.say(key, url=f"{base}/calendar/{token}.ics")


def feed(uow: UnitOfWork, token: str, now: datetime, settings: Settings) -> bytes | None:
    """The feed behind `/calendar/<token>.ics`; None for a token nobody holds."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    owner = uow.calendars.feed_owner(token_hash(token))
    person = uow.people.get(owner) if owner is not None else None
    if person is None:
        return None
    since = now - timedelta(days=settings.calendar_feed_past_days)
    sessions = uow.calendars.feed_sessions(person.id, since)
    people = uow.people.get_many({s.host_id for s in sessions} | {s.student_id for s in sessions})
    events = [invites.event(uow, s, person, people) for s in sessions]
    name = Renderer(person.locale, person.timezone).text(Text("ical.feed_name"))
    return ical.feed(events, person.timezone, now, name)
