"""A person's data: exported whole, then erased (keeping anonymous counts), then exported
again with nothing personal left; the retention sweep of old free text. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot import privacy, trends
from bot.domain import PersonStatus, SessionStatus
from tests.conftest import Programme, make_settings
from tests.programme_facts import NOW, build

# Everything personal about Léa the test programme holds: who she is, her Slack account, and
# the free text by and about her (a question, check-ins, notes, alerts, a survey comment).
LEA_PERSONAL = (
    "Léa",
    "Dubois",
    "lea@school.example",
    "U0LEA",
    "Léa's private question about recursion",
    "progress of lea",
    "blocked lea",
    "goal lea",
    "notes on lea_held",
    "notes on lea_noshow",
    "Léa copied project 2",
    "details about Léa",
    "talked to Léa",
    "rude once",
    "Léa found it useless",
)


def exported(programme: Programme, who: str = "lea") -> str:
    with programme.database.uow() as uow:
        person = uow.people.get(programme.people[who].id)
        assert person is not None
        return privacy.export_person(uow, person, NOW).decode("utf-8")


def erase(programme: Programme, who: str = "lea") -> dict[str, int]:
    settings = make_settings("sqlite://")
    with programme.database.uow() as uow:
        person = uow.people.get(programme.people[who].id)
        assert person is not None
        counts = privacy.erase_person(uow, person, NOW, settings, by="command line")
        uow.commit()
    return counts


def test_the_export_holds_everything_about_the_person(programme: Programme) -> None:
    build(programme)
    text = exported(programme)
    document = json.loads(text)
    for personal in LEA_PERSONAL:
        assert personal in text, personal
    tables = document["tables"]
    assert tables["people"][0]["email"] == "lea@school.example"
    assert {"identities", "sessions", "session_notes", "checkins", "alerts"} <= set(tables)
    assert {"questions", "feedback", "mentorships"} <= set(tables)
    assert not any("hash" in column for rows in tables.values() for r in rows for column in r)


def test_export_erase_export_leaves_nothing_personal(programme: Programme) -> None:
    facts = build(programme)
    with programme.database.uow() as uow:
        before = trends.weekly(uow, NOW, ZoneInfo("Europe/Paris"))
    counts = erase(programme)
    text = exported(programme)
    for personal in LEA_PERSONAL:
        assert personal not in text, personal
    assert counts["identities"] == 1 and counts["sessions_cancelled"] == 1
    with programme.database.uow() as uow:
        person = uow.people.get(programme.people["lea"].id)
        assert person is not None and person.status == PersonStatus.ERASED
        assert uow.people.by_email("lea@school.example") is None
        future = uow.sessions.get(facts.sessions["lea_future"])
        assert future is not None and future.status == SessionStatus.CANCELLED
        # Anonymous counts are kept: the weeks' numbers do not move.
        assert trends.weekly(uow, NOW, ZoneInfo("Europe/Paris")) == before
        notice = [
            n
            for n in uow.outbox.claim_due(NOW + timedelta(days=1), 100, 30)
            if n.notification.key == "privacy.session_cancelled"
        ]
    assert [n.notification.recipient_id for n in notice] == [programme.people["mentor"].id]
    assert "Léa" not in json.dumps(notice[0].notification.params, default=str)
    [invite] = notice[0].notification.attachments  # Camille's calendar drops the session
    assert b"METHOD:CANCEL" in invite.content
    assert b"Dubois" not in invite.content and b"lea@school.example" not in invite.content
    record = json.loads(text)["tables"]["erasures"]
    assert [(r["kind"], r["erased_by"]) for r in record] == [("person", "command line")]


def test_erasing_one_student_leaves_the_others_alone(programme: Programme) -> None:
    build(programme)
    erase(programme)
    zoe = exported(programme, "zoe")
    assert "Zoé at the hospital" in zoe and "notes on zoe_held" in zoe


def test_retention_erases_free_text_older_than_the_setting(programme: Programme) -> None:
    build(programme)
    settings = make_settings("sqlite://", retention_days=7)
    with programme.database.uow() as uow:
        erased = privacy.retention(uow, NOW, settings)
    assert erased > 0
    with programme.database.uow() as uow:
        lea = uow.checkins.recent(programme.people["lea"].id)
        assert [(c.iso_week, c.progress, c.confidence) for c in lea] == [
            (49, "progress of lea", 4),  # 2 days old: kept
            (48, None, 3),  # 9 days old: the text goes, the confidence stays
        ]
        notes = uow.notes.latest(programme.people["lea"].id)
        assert notes is not None and notes.progress == "notes on lea_noshow: good progress"
        assert uow.notes.latest(programme.people["lea"].id, before=NOW - timedelta(days=3)) is None
    with programme.database.uow() as uow:  # the second run finds nothing more
        assert privacy.retention(uow, NOW, settings) == 0
        assert privacy.retention(uow, NOW, make_settings("sqlite://")) == 0  # unset: kept


def test_erasing_a_mentor_takes_their_room_and_the_words_of_corrections(
    programme: Programme,
) -> None:
    facts = build(programme)
    programme.clock.set(NOW)
    programme.ok("mentor", "/mentorbot meeting https://meet.example/camille-private-room")
    held = facts.sessions["zoe_held"]
    programme.ok("mentor", f"/correct {held} absent -- Camille mixed up Zoé and Léa")
    before = exported(programme, "mentor")
    assert "camille-private-room" in before and "mixed up" in before
    erase(programme, "mentor")
    after = exported(programme, "mentor")
    for personal in (
        "Camille",
        "Martin",
        "mentor@school.example",
        "U0MENTOR",
        "camille-private-room",
        "mixed up",
    ):
        assert personal not in after, personal
    assert "Zoé at the hospital" in after  # the alert she raised about Zoé is Zoé's record: kept
