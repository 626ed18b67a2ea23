"""A roster import welcomes each new person with what the bot does for their role (issue 14)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.clock import ManualClock
from bot.i18n import Renderer
from bot.outbox import OutboxWorker
from bot.replies import Text
from storage.database import Database
from tests.recording import RecordingDeliverer
from tests.test_roster import HEADER, run_import

MENTOR = "m@w.org,Mina Mentor,mentor,Europe/Paris,fr,,,,,,\n"
STUDENT = "s@w.org,Sam Student,student,America/Toronto,en,,,m@w.org,30,1,Web\n"


def sent(database: Database) -> list[tuple[str, str]]:
    deliverer = RecordingDeliverer()
    OutboxWorker(database.uow, ManualClock(datetime(2100, 1, 1, tzinfo=UTC)), deliverer).drain()
    return [(n.key, n.idempotency_key) for _, n in deliverer.sent]


def test_each_new_person_is_welcomed_once_for_their_role(database: Database) -> None:
    run_import(database, HEADER + "\n" + MENTOR + STUDENT)
    keys = sorted(key for key, _ in sent(database) if key.startswith("week.welcome."))
    assert keys == ["week.welcome.mentor", "week.welcome.student"]
    run_import(database, HEADER + "\n" + MENTOR + STUDENT)  # a re-import welcomes nobody again
    assert not [k for k, _ in sent(database) if k.startswith("week.welcome.")]
    english = Renderer("en", "America/Toronto").text(Text("week.welcome.student", {"name": "Sam"}))
    assert english.startswith("Welcome Sam! I help you") and "/book" in english
    french = Renderer("fr", "Europe/Paris").text(Text("week.welcome.mentor", {"name": "Mina"}))
    assert "/availability ajouter lun-ven 09:00-12:00" in french and "/contact" in french
