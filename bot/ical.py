"""Sessions as iCalendar (RFC 5545), sent as invites (RFC 5546 iTIP) or served as a feed.

Each session keeps one UID for its whole life and a SEQUENCE that goes up at every move or
cancellation, so a calendar updates the event it already has instead of adding a second one.
Times are written in the reader's zone with its VTIMEZONE (UTC readers get `Z` times), so the
event shows at the right hour on both sides of a daylight-saving change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # imported when a calendar is built: a serving process may never build one
    from icalendar import Calendar, Event, vCalAddress

PRODID = "-//mentorbot//mentorbot//EN"
REQUEST, CANCEL = "REQUEST", "CANCEL"
MEDIA_TYPE = "text/calendar"
UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Zulu", "Etc/Zulu", "GMT"})


@dataclass(frozen=True)
class Party:
    name: str
    email: str


@dataclass(frozen=True)
class CalendarEvent:
    """One session as a reader's calendar shows it (summary in their language)."""

    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str
    join_url: str | None
    organizer: Party  # the host: mentor, or validator of a defense
    attendee: Party  # the student
    cancelled: bool = False


def invite(event: CalendarEvent, method: str, zone: str, now: datetime) -> bytes:
    """An iTIP message for one reader: METHOD:REQUEST (booked, moved) or METHOD:CANCEL."""
    calendar = _calendar(zone)
    calendar.add("method", method)
    calendar.add_component(_event(event, zone, now, cancelled=method == CANCEL))
    return _finish(calendar, [event])


def feed(events: Sequence[CalendarEvent], zone: str, now: datetime, name: str) -> bytes:
    """A subscription feed: every event as it stands, cancelled ones as STATUS:CANCELLED."""
    calendar = _calendar(zone)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for event in events:
        calendar.add_component(_event(event, zone, now, cancelled=event.cancelled))
    return _finish(calendar, events)


def _calendar(zone: str) -> Calendar:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if zone not in UTC_NAMES:
        calendar.add("x-wr-timezone", zone)
    return calendar


def _event(event: CalendarEvent, zone: str, now: datetime, *, cancelled: bool) -> Event:
    from icalendar import Event

    local = UTC if zone in UTC_NAMES else ZoneInfo(zone)
    item = Event()
    item.add("uid", event.uid)
    item.add("sequence", event.sequence)
    item.add("dtstamp", now.astimezone(UTC))
    item.add("dtstart", event.starts_at.astimezone(local))
    item.add("dtend", event.ends_at.astimezone(local))
    item.add("summary", event.summary)
    item.add("description", event.description)
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    item.add("transp", "OPAQUE")
    if event.join_url:
        item.add("url", event.join_url)
        item.add("location", event.join_url)
    item.add("organizer", _address(event.organizer, organizer=True))
    item.add("attendee", _address(event.attendee, organizer=False))
    return item


def _address(party: Party, *, organizer: bool) -> vCalAddress:
    from icalendar import vCalAddress, vText

    address = vCalAddress(f"mailto:{party.email}")
    address.params["CN"] = vText(party.name)
    if not organizer:
        # Booked by the bot, for both: nothing to answer (a reply would go to nobody's inbox).
        address.params.update({"ROLE": "REQ-PARTICIPANT", "PARTSTAT": "ACCEPTED", "RSVP": "FALSE"})
    return address


def _finish(calendar: Calendar, events: Sequence[CalendarEvent]) -> bytes:
    if events:  # a VTIMEZONE covering the events' years only: small, and still exact
        first = min(e.starts_at for e in events).date() - timedelta(days=366)
        last = max(e.ends_at for e in events).date() + timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return bytes(calendar.to_ical())
