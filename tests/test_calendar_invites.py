"""Invites through the core, each one parsed back with `icalendar`: one UID per session for life,
SEQUENCE up at each change, METHOD:REQUEST then METHOD:CANCEL, the join link kept by a move, and
each reader's wall time right on both sides of the 2027 EU and US daylight-saving changes.

Camille (mentor) is in Paris; Sam (student) has moved to Montréal. Sam's sessions last 30 min.
EU summer time starts 28 Mar 2027 and ends 31 Oct 2027; US summer time starts 14 Mar 2027 and
ends 7 Nov 2027: for two weeks each spring and one week each autumn the two are 5 h apart, else 6.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from bot import scheduled
from bot.clock import ManualClock
from bot.domain import Notification
from bot.outbox import OutboxWorker
from storage.database import Database
from tests.conftest import Programme, load_programme, make_settings
from tests.recording import RecordingDeliverer

TEMPLATE = "https://meet.school.example/mentoring-{token}"
ROOM_PREFIX = TEMPLATE.removesuffix("{token}")
PARIS, MONTREAL = ZoneInfo("Europe/Paris"), ZoneInfo("America/Montreal")


@dataclass
class Invite:
    """One `.ics` as a calendar reads it."""

    to: str
    notification: Notification
    calendar: Calendar

    @property
    def method(self) -> str:
        return str(self.calendar["METHOD"])

    @property
    def event(self) -> Event:
        [event] = self.calendar.walk("VEVENT")
        return event

    @property
    def uid(self) -> str:
        return str(self.event["UID"])

    @property
    def sequence(self) -> int:
        return int(self.event["SEQUENCE"])

    def start(self) -> datetime:
        return self.event.decoded("DTSTART")  # type: ignore[no-any-return]

    def start_by_vtimezone(self) -> datetime:
        """DTSTART read as a client with no time-zone database does: through the VTIMEZONE."""
        tzid = self.event["DTSTART"].params["TZID"]
        [zone] = [z for z in self.calendar.walk("VTIMEZONE") if str(z["TZID"]) == tzid]
        wall = self.start().replace(tzinfo=None)
        return wall.replace(tzinfo=zone.to_tz())


@pytest.fixture
def paris_montreal(database: Database) -> Programme:
    clock = ManualClock(datetime(2027, 3, 1, 10, 0, tzinfo=UTC))
    programme = load_programme(
        database, clock, meeting_url_template=TEMPLATE, booking_horizon_days=300
    )
    programme.ok("sam", "/mentorbot timezone America/Montreal")
    return programme


def invites(programme: Programme) -> list[Invite]:
    """Deliver what is queued; every invite sent, in order, parsed."""
    deliverer = RecordingDeliverer()
    OutboxWorker(programme.database.uow, programme.clock, deliverer).drain()
    found = []
    for person, notification in deliverer.sent:
        for attachment in notification.attachments:
            assert attachment.filename.endswith(".ics")
            assert attachment.content_type.startswith("text/calendar; method=")
            found.append(Invite(person.name, notification, Calendar.from_ical(attachment.content)))
    return found


def session_id(programme: Programme, who: str, line: str) -> int:
    reply = programme.ok(who, line)
    return int(reply.lines[0].params["id"])  # type: ignore[call-overload]


def test_a_session_keeps_its_uid_and_room_while_its_sequence_and_method_follow_it(
    paris_montreal: Programme,
) -> None:
    programme = paris_montreal
    session = session_id(programme, "sam", "/book 2027-03-11 03:00")
    programme.ok("mentor", f"/move {session} 2027-03-18 09:00")
    programme.ok("sam", f"/cancel {session}")
    sent = invites(programme)
    for person in ("Sam Taylor", "Camille Martin"):
        theirs = [i for i in sent if i.to == person]
        assert [i.method for i in theirs] == ["REQUEST", "REQUEST", "CANCEL"]
        assert [i.sequence for i in theirs] == [0, 1, 2]
        assert len({i.uid for i in theirs}) == 1
        assert [str(i.event["STATUS"]) for i in theirs] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
        rooms = {str(i.event["URL"]) for i in theirs} | {str(i.event["LOCATION"]) for i in theirs}
        assert len(rooms) == 1 and rooms.pop().startswith(ROOM_PREFIX)
        assert str(theirs[0].event["ORGANIZER"]) == "mailto:mentor@school.example"
        assert str(theirs[0].event["ATTENDEE"]) == "mailto:sam@school.example"
    assert len({i.uid for i in sent}) == 1  # the same event in both calendars
    summaries = {i.to: str(i.event["SUMMARY"]) for i in sent}
    assert summaries == {
        "Sam Taylor": "Mentoring session with Camille Martin",  # Sam reads English
        "Camille Martin": "Séance de mentorat avec Sam Taylor",
    }


def test_the_join_link_is_in_the_confirmation_the_sessions_and_kept_by_a_move(
    paris_montreal: Programme,
) -> None:
    programme = paris_montreal
    booked = programme.ok("sam", "/book 2027-03-11 03:00")
    [room_line] = [line for line in booked.lines if line.key == "meeting.join_line"]
    room = str(room_line.params["url"])
    assert room.startswith(ROOM_PREFIX) and len(room) > len(ROOM_PREFIX) + 12
    moved = programme.ok("sam", "/move 1 2027-03-18 04:00")
    assert [line.params["url"] for line in moved.lines[1:]] == [room]
    listed = programme.ok("mentor", "/sessions")
    assert [line.params["url"] for line in listed.lines if line.key == "meeting.join_line"] == [
        room
    ]
    other = programme.ok("lea", "/book 2027-03-11 10:00")  # another session, another room
    assert other.lines[1].params["url"] not in (room, None)
    told = [i.notification for i in invites(programme) if i.to == "Camille Martin"]
    assert told[0].key == "meeting.with_link" and told[0].params["url"] == room


@pytest.mark.parametrize(
    ("today", "sam_types", "paris_wall", "montreal_wall"),
    [
        # Both in winter time: 6 h apart.
        ("2027-03-01", "2027-03-11 03:00", "09:00", "03:00"),
        # Montréal in summer time since 14 Mar, Paris not yet: 5 h apart.
        ("2027-03-08", "2027-03-18 04:00", "09:00", "04:00"),
        # Both in summer time since 28 Mar: 6 h apart.
        ("2027-03-22", "2027-04-01 03:00", "09:00", "03:00"),
        # Both still in summer time.
        ("2027-10-18", "2027-10-28 03:00", "09:00", "03:00"),
        # Paris back in winter time on 31 Oct, Montréal not until 7 Nov: 5 h apart.
        ("2027-10-25", "2027-11-04 04:00", "09:00", "04:00"),
        # Both in winter time again.
        ("2027-11-01", "2027-11-11 03:00", "09:00", "03:00"),
    ],
)
def test_each_reader_sees_their_own_wall_time_on_both_sides_of_the_2027_changes(
    paris_montreal: Programme, today: str, sam_types: str, paris_wall: str, montreal_wall: str
) -> None:
    programme = paris_montreal
    programme.clock.set(datetime.fromisoformat(f"{today}T10:00:00+00:00"))
    programme.ok("sam", f"/book {sam_types}")
    sent = {i.to: i for i in invites(programme)}
    mentor, student = sent["Camille Martin"], sent["Sam Taylor"]
    instant = datetime.fromisoformat(f"{sam_types}:00").replace(tzinfo=MONTREAL)
    for invite, zone, wall in ((mentor, PARIS, paris_wall), (student, MONTREAL, montreal_wall)):
        start = invite.start()
        assert invite.event["DTSTART"].params["TZID"] == str(zone)
        assert start.strftime("%H:%M") == wall
        assert start == instant  # the same instant on both sides
        assert invite.start_by_vtimezone() == instant
        assert invite.event.decoded("DTEND") - start == timedelta(minutes=30)


def test_a_reader_in_utc_gets_utc_times(paris_montreal: Programme) -> None:
    programme = paris_montreal
    programme.ok("sam", "/mentorbot timezone UTC")
    programme.ok("sam", "/book 2027-03-11 08:00")
    student = next(i for i in invites(programme) if i.to == "Sam Taylor")
    assert student.event["DTSTART"].to_ical() == b"20270311T080000Z"
    assert not student.calendar.walk("VTIMEZONE")


def test_both_reminders_carry_the_join_link(paris_montreal: Programme) -> None:
    programme = paris_montreal
    room = programme.ok("sam", "/book 2027-03-11 03:00").lines[1].params["url"]
    programme.clock.set(datetime(2027, 3, 11, 8, 0, tzinfo=UTC) - timedelta(hours=24))
    with programme.database.uow() as uow:
        assert scheduled.reminders(uow, programme.clock.now(), make_settings("sqlite://")) == 2
    deliverer = RecordingDeliverer()
    OutboxWorker(programme.database.uow, programme.clock, deliverer).drain()
    reminders = [n for _, n in deliverer.sent if n.idempotency_key.startswith("reminder:")]
    assert sorted(n.params["message"].key for n in reminders) == [  # type: ignore[attr-defined]
        "reminder.host.mentoring",
        "reminder.student",
    ]
    assert {n.key for n in reminders} == {"meeting.with_link"}
    assert {n.params["url"] for n in reminders} == {room}


def test_sessions_the_programme_cancels_leave_both_calendars_too(
    paris_montreal: Programme,
) -> None:
    programme = paris_montreal
    programme.ok("sam", "/book 2027-03-11 03:00")
    invites(programme)
    programme.ok("advisor", "/pause sam@school.example")  # a paused student's sessions go
    cancels = [i for i in invites(programme) if i.method == "CANCEL"]
    assert sorted(i.to for i in cancels) == ["Camille Martin", "Sam Taylor"]
    assert {(i.sequence, str(i.event["STATUS"])) for i in cancels} == {(1, "CANCELLED")}
