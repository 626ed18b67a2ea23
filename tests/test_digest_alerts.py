"""The weekly digest's alerts: the live ones counted, the disengaged students named, read in
one statement whatever their number (it read whole alerts, then their people and roles)."""

from __future__ import annotations

from bot import scheduled
from bot.i18n import Renderer
from bot.outbox import OutboxWorker
from bot.replies import Text
from tests.conftest import Programme, make_settings
from tests.recording import RecordingDeliverer
from tests.statements import counting


def test_live_alerts_are_counted_and_the_disengaged_named_in_one_statement(
    programme: Programme,
) -> None:
    programme.ok("mentor", "/escalate desengagement sam@school.example Ne vient plus")
    programme.ok("mentor", "/escalate desengagement lea@school.example Plus de nouvelles")
    programme.ok("mentor", "/escalate absence zoe@school.example Absente")
    programme.ok("advisor", "/alerts ack 1")  # acknowledged: still live
    programme.ok("mentor", "/escalate plagiarism zoe@school.example Copie")
    programme.ok("advisor", "/alerts resolve 4 Vu")  # resolved: no longer
    with programme.database.uow() as uow, counting(programme.database.engine) as sent:
        assert scheduled.digest(uow, programme.clock.now(), make_settings("sqlite://")) == 1
    deliverer = RecordingDeliverer()
    OutboxWorker(programme.database.uow, programme.clock, deliverer).drain()
    (digest,) = [n for n in deliverer.posted if n.key == "digest.weekly"]
    text = Renderer("en", "Europe/Paris").text(Text(digest.key, digest.params))
    assert "Open alerts: 3" in text
    assert "Students at risk: Léa Dubois, Sam Taylor" in text  # not Zoé: an absence
    assert len([s for s in sent if "FROM alerts" in s]) == 1
    assert not any("FROM people" in s and "alerts" not in s for s in sent)  # no one else named
