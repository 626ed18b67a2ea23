"""The weekly digest's alerts: the live ones counted, the disengaged students named, read in
one statement whatever their number (it read whole alerts, then their people and roles)."""

from __future__ import annotations

from bot import scheduled
from bot.i18n import Renderer
from bot.outbox import OutboxWorker
from bot.replies import Text
from bot.services.roster import import_roster
from tests.big_programme import HEADER
from tests.conftest import Programme, make_settings
from tests.recording import RecordingDeliverer
from tests.statements import Statements, counting


def posted_digest(programme: Programme) -> tuple[Text, Statements]:
    """The digest job run: the post it queued as the advisors' channel gets it, and the
    statements the job sent."""
    with programme.database.uow() as uow, counting(programme.database.engine) as sent:
        assert scheduled.digest(uow, programme.clock.now(), make_settings("sqlite://")) == 1
    deliverer = RecordingDeliverer()
    OutboxWorker(programme.database.uow, programme.clock, deliverer).drain()
    (digest,) = [n for n in deliverer.posted if n.key == "digest.weekly"]
    return Text(digest.key, digest.params), sent


def test_live_alerts_are_counted_and_the_disengaged_named_in_one_statement(
    programme: Programme,
) -> None:
    programme.ok("mentor", "/escalate desengagement sam@school.example Ne vient plus")
    programme.ok("mentor", "/escalate desengagement lea@school.example Plus de nouvelles")
    programme.ok("mentor", "/escalate absence zoe@school.example Absente")
    programme.ok("advisor", "/alerts ack 1")  # acknowledged: still live
    programme.ok("mentor", "/escalate plagiarism zoe@school.example Copie")
    programme.ok("advisor", "/alerts resolve 4 Vu")  # resolved: no longer
    digest, sent = posted_digest(programme)
    text = Renderer("en", "Europe/Paris").text(digest)
    assert "Open alerts: 3" in text
    assert "Students at risk: Léa Dubois, Sam Taylor" in text  # not Zoé: an absence
    assert len([s for s in sent if "FROM alerts" in s]) == 1
    assert not any("FROM people" in s and "alerts" not in s for s in sent)  # no one else named


def test_a_school_of_disengaged_students_is_counted_not_listed(programme: Programme) -> None:
    """25 students at risk: all 25 counted, the 20 latest named, "and 5 more"; the count is
    not capped by the names read (it was the 500 alerts read, whatever their number)."""
    rows = "".join(
        f"s{n:02d}@school.example,Student {n:02d},student,Europe/Paris,fr,,,"
        "mentor@school.example,30,1,Web\n"
        for n in range(25)
    )
    with programme.database.uow() as uow:
        report = import_roster(
            uow,
            HEADER + "\n" + rows,
            "Europe/Paris",
            "fr",
            programme.clock.now(),
            welcome_new=False,
        )
        assert report.applied, report.rejected
        uow.commit()
    for n in range(25):
        programme.ok("mentor", f"/escalate desengagement s{n:02d}@school.example Plus de nouvelles")
    digest, _ = posted_digest(programme)
    english = Renderer("en", "Europe/Paris").text(digest)
    assert "Open alerts: 25\n" in english
    named = ", ".join(f"Student {n:02d}" for n in range(5, 25))  # the latest 20, sorted
    assert f"Students at risk: {named}, and 5 more\n" in english
    french = Renderer("fr", "Europe/Paris").text(digest)
    assert "Student 24, et 5 autres\n" in french
