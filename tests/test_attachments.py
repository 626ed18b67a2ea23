"""Files carried by outbox messages: stored with the row, handed to the deliverer once."""

from __future__ import annotations

from bot.attachments import PNG, Attachment
from bot.clock import ManualClock
from bot.domain import Notification, Role
from bot.outbox import OutboxWorker
from storage.database import Database
from tests.recording import RecordingDeliverer


def test_a_file_travels_with_its_message_exactly_once(
    database: Database, clock: ManualClock
) -> None:
    content = bytes(range(256)) * 40  # binary, not text: every byte value
    chart = Attachment("chart.png", PNG, content)
    with database.uow() as uow:
        person = uow.people.add("p@x.org", "P", "UTC", "en", [Role.ADVISOR])
        note = Notification("with-file", person.id, "sessions.none", attachments=(chart,))
        uow.outbox.add(note, clock.now())
        uow.outbox.add(note, clock.now())  # queued twice: still one message, one file
        uow.commit()
    deliverer = RecordingDeliverer()
    assert OutboxWorker(database.uow, clock, deliverer).drain() == 1
    [(_, sent)] = deliverer.sent
    assert sent.attachments == (chart,)
