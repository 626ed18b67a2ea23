"""Rooms and feeds through the core: `/mentorbot meeting` (a host's own https room, applied to
their sessions to come), defenses in the validator's room, and `/mentorbot calendar` (a private
feed, its token kept only as a hash, rotated by `reset`), every feed parsed with `icalendar`."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import text

from bot.clock import ManualClock
from bot.i18n import Renderer
from bot.outbox import OutboxWorker
from bot.replies import Text
from bot.services.paths import import_paths
from storage.database import Database
from tests.conftest import Programme, load_programme
from tests.recording import RecordingDeliverer

PUBLIC = "https://mentorbot.school.example"
TEMPLATE = "https://meet.school.example/m-{token}"
CAMILLE_ROOM = "https://visio.example.org/camille"


@pytest.fixture
def school(database: Database, clock: ManualClock) -> Programme:
    return load_programme(database, clock, public_url=PUBLIC, meeting_url_template=TEMPLATE)


def token_of(programme: Programme, who: str, line: str = "/mentorbot calendar") -> str:
    reply = programme.ok(who, line)
    url = str(reply.lines[0].params["url"])
    assert url.startswith(f"{PUBLIC}/calendar/") and url.endswith(".ics")
    return url.removeprefix(f"{PUBLIC}/calendar/").removesuffix(".ics")


def feed(programme: Programme, token: str) -> Calendar | None:
    body = programme.core.calendar_feed(token)
    return None if body is None else Calendar.from_ical(body)


def drain(programme: Programme) -> RecordingDeliverer:
    deliverer = RecordingDeliverer()
    OutboxWorker(programme.database.uow, programme.clock, deliverer).drain()
    return deliverer


def test_the_feed_holds_upcoming_and_recent_sessions_cancelled_ones_marked(
    school: Programme,
) -> None:
    programme = school
    old = programme.ok("lea", "/book 2026-11-26 09:00").lines[0].params["id"]
    programme.clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    cancelled = programme.ok("lea", "/book 2026-12-03 09:00").lines[0].params["id"]
    programme.ok("lea", f"/cancel {cancelled}")
    programme.ok("lea", "/book 2026-12-07 09:00")
    token = token_of(programme, "lea")
    calendar = feed(programme, token)
    assert calendar is not None and "METHOD" not in calendar  # a feed, not an invite
    assert str(calendar["X-WR-CALNAME"]) == Renderer("fr", "Europe/Paris").text(
        Text("ical.feed_name")
    )
    events = {str(e["DESCRIPTION"]).split(" ")[1]: e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"#{old}", f"#{cancelled}", "#3"}
    assert str(events[f"#{cancelled}"]["STATUS"]) == "CANCELLED"
    assert str(events["#3"]["STATUS"]) == "CONFIRMED"
    assert events["#3"].decoded("DTSTART").isoformat() == "2026-12-07T09:00:00+01:00"
    assert str(events["#3"]["SUMMARY"]) == "Séance de mentorat avec Camille Martin"
    # Past the feed's window (90 days), a session leaves it.
    programme.clock.set(datetime(2027, 2, 26, 9, 0, tzinfo=UTC))
    later = feed(programme, token)
    assert later is not None and len(later.walk("VEVENT")) == 2
    # The mentor's own feed is in the mentor's language, with the student's name.
    mentor = feed(programme, token_of(programme, "mentor"))
    assert mentor is not None
    assert {str(e["SUMMARY"]) for e in mentor.walk("VEVENT")} == {
        "Séance de mentorat avec Léa Dubois"
    }


def test_the_token_is_shown_once_stored_hashed_and_rotated_by_reset(school: Programme) -> None:
    programme = school
    token = token_of(programme, "sam")
    assert len(token) >= 40
    assert programme.ok("sam", "/mentorbot calendar").lines[0].key == "calendar.exists"
    with programme.database.engine.connect() as connection:
        stored = connection.execute(text("SELECT token_hash FROM calendar_feeds")).scalars().all()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]
    assert feed(programme, token) is not None
    for wrong in (token[:-2], token + "x", "", "../../etc/passwd", "a" * 43):
        assert feed(programme, wrong) is None
    fresh = token_of(programme, "sam", "/mentorbot calendar reset")
    assert fresh != token and feed(programme, token) is None and feed(programme, fresh) is not None


def test_without_a_public_address_there_is_no_feed(database: Database, clock: ManualClock) -> None:
    programme = load_programme(database, clock)
    assert programme.refused("lea", "/mentorbot calendar") == "calendar.not_served"


def test_a_mentors_own_room_is_checked_shown_and_given_to_sessions_to_come(
    school: Programme,
) -> None:
    programme = school
    session = programme.ok("lea", "/book 2026-11-26 09:00").lines[0].params["id"]
    drain(programme)
    generated = programme.ok("lea", "/sessions").lines[2].params["url"]
    assert str(generated).startswith("https://meet.school.example/m-")
    for bad, key in (
        ("http://visio.example.org/camille", "meeting.not_https"),
        ("https://<!channel>.example", "meeting.bad_url"),
        ("https://user:pw@visio.example.org/x", "meeting.bad_url"),
        ("javascript:alert(1)", "meeting.not_https"),
        ("https://" + "a" * 500 + ".example", "meeting.too_long"),
    ):
        assert programme.refused("mentor", f"/mentorbot meeting {bad}") == key, bad
    assert programme.refused("lea", f"/mentorbot meeting {CAMILLE_ROOM}") == "error.not_allowed"
    assert programme.ok("mentor", "/mentorbot meeting").lines[0].key == "meeting.generated"

    reply = programme.ok("mentor", f"/mentorbot meeting <{CAMILLE_ROOM}>")  # as Slack wraps it
    assert reply.lines[0].params == {"url": CAMILLE_ROOM, "sessions": 1}
    assert programme.ok("mentor", "/mentorbot meeting").lines[0].params == {"url": CAMILLE_ROOM}
    invites = [n for _, n in drain(programme).sent]
    assert {n.key for n in invites} == {"meeting.with_link"}
    assert {n.params["message"].key for n in invites} == {"invite.yours.room"}  # type: ignore[attr-defined]
    for notification in invites:
        [attachment] = notification.attachments
        [event] = Calendar.from_ical(attachment.content).walk("VEVENT")
        assert (str(event["URL"]), int(event["SEQUENCE"])) == (CAMILLE_ROOM, 1)
    # New bookings use it; `off` gives the sessions to come rooms of their own again.
    programme.ok("zoe", "/book 2026-11-26 10:00")
    assert [line.params.get("url") for line in programme.ok("zoe", "/sessions").lines[1:]] == [
        None,
        CAMILLE_ROOM,
    ]
    drain(programme)
    assert programme.ok("mentor", "/mentorbot meeting off").lines[0].params == {"sessions": 2}
    listed = programme.ok("mentor", "/sessions").lines
    rooms = [line.params["url"] for line in listed if line.key == "meeting.join_line"]
    assert len(set(rooms)) == 2
    assert all(str(r).startswith("https://meet.school.example/m-") for r in rooms)
    assert {r for _, n in drain(programme).sent for r in [n.params.get("url")]} == set(rooms)
    assert session == 1


def test_a_defense_is_joined_in_the_validators_room(school: Programme) -> None:
    programme = school
    with programme.database.uow() as uow:
        import_paths(uow, "web.yaml", "name: Web\nprojects:\n  - code: W1\n    title: Projet 1\n")
        uow.commit()
    programme.ok("validator", "/availability add jeu 14:00-18:00")
    programme.ok("validator", "/mentorbot meeting https://visio.example.org/hugo")
    first = programme.ok("lea", "/book 2026-11-26 09:00").lines[0].params["id"]
    programme.clock.set(datetime(2026, 11, 26, 8, 45, tzinfo=UTC) + timedelta(minutes=1))
    programme.ok("mentor", f"/notes {first} present ok | ok | ok | oui")
    booked = programme.ok("lea", "/book defense 2026-12-03 14:00")
    assert [line.params.get("url") for line in booked.lines[1:]] == [
        "https://visio.example.org/hugo"
    ]
    sent = [n for p, n in drain(programme).sent if p.name == "Hugo Laurent" and n.attachments]
    [event] = Calendar.from_ical(sent[-1].attachments[0].content).walk("VEVENT")
    assert str(event["LOCATION"]) == "https://visio.example.org/hugo"
    assert str(event["SUMMARY"]) == "Soutenance avec Léa Dubois"
