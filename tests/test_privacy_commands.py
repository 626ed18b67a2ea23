"""The advisors' commands for files and privacy: `/export`, `/person export|erase`. Only an
advisor may run them; the file arrives by DM, through the outbox."""

from __future__ import annotations

import csv
import io
import json

import pytest

from bot import privacy
from bot.outbox import OutboxWorker
from tests.conftest import Programme
from tests.programme_facts import NOW, build
from tests.recording import RecordingDeliverer

LEA = "lea@school.example"


def files(programme: Programme) -> list[tuple[str, str, bytes]]:
    deliverer = RecordingDeliverer()
    OutboxWorker(programme.database.uow, programme.clock, deliverer).drain()
    return [
        (person.email, a.filename, a.content) for person, n in deliverer.sent for a in n.attachments
    ]


@pytest.mark.parametrize(
    "line", ["/export sessions", f"/person export {LEA}", f"/person erase {LEA}", "/overview"]
)
@pytest.mark.parametrize("who", ["lea", "sam", "mentor", "validator"])
def test_only_advisors_export_or_erase(programme: Programme, who: str, line: str) -> None:
    assert programme.refused(who, line) == "error.not_allowed"
    assert programme.refused(who, f"/person erase {LEA} confirm") == "error.not_allowed"
    with programme.database.uow() as uow:
        assert uow.people.by_email(LEA) is not None


def test_an_advisor_gets_the_csv_by_dm(programme: Programme) -> None:
    build(programme)
    programme.clock.set(NOW)
    reply = programme.ok("advisor", "/export sessions 2026-11-23 2026-12-06")
    assert reply.lines[0].key == "export.queued" and reply.lines[0].params["rows"] == 10
    [(to, name, content)] = files(programme)
    assert to == "advisor@school.example"
    assert name == "mentorbot-sessions-2026-11-23-2026-12-06.csv"
    assert len(list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))) == 10
    assert programme.refused("advisor", "/export gossip") == "usage.export"
    assert programme.refused("advisor", "/export alerts 2026-12-06 2026-11-23") == (
        "error.bad_date_range"
    )
    default = programme.ok("advisor", "/export feedback").lines[0].params
    assert (default["first"].isoformat(), default["last"].isoformat()) == (
        "2026-11-05",
        "2026-12-02",
    )


def test_an_advisor_exports_then_erases_a_person(programme: Programme) -> None:
    build(programme)
    programme.clock.set(NOW)
    programme.ok("advisor", f"/person export {LEA}")
    [(_, name, content)] = files(programme)
    assert name.endswith(".json") and "Léa Dubois" in content.decode("utf-8")
    asked = programme.ok("advisor", f"/person erase {LEA}")
    assert asked.lines[0].key == "privacy.confirm"
    with programme.database.uow() as uow:
        assert uow.people.by_email(LEA) is not None  # nothing yet: it asked first
    [confirm] = asked.choices
    advisor = programme.people["advisor"].id
    done = programme.core.handle(advisor, confirm.action)
    assert done.lines[0].key == "privacy.erased"
    lea_id = programme.people["lea"].id
    assert programme.ok("advisor", f"/person erase #{lea_id} confirm").lines[0].key == (
        "privacy.already_erased"
    )
    with programme.database.uow() as uow:
        person = uow.people.get(lea_id)
        assert person is not None
        data = json.loads(privacy.export_person(uow, person, NOW))
    assert data["tables"]["erasures"][0]["erased_by"] == "advisor"
    assert data["tables"]["erasures"][0]["erased_by_id"] == advisor
    assert programme.refused("advisor", "/person erase advisor@school.example confirm") == (
        "privacy.not_yourself"
    )
