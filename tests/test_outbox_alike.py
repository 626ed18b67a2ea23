"""Outbox.add_alike (issue 13: the disengagement job's posts): notifications made by a few
templates from a number and a text are queued as the very rows add_many queues for them, byte
for byte, on SQLite and PostgreSQL; a template that shows its number or text otherwise than as
they are is refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import String, cast, select

from bot.commands import AcknowledgeAlert
from bot.domain import Notification
from bot.replies import Choice, Text
from storage.database import Database
from storage.models import NotificationRow
from storage.repositories.outbox import SMALL

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
NAMES = ["Zoé", 'Jo "J" {0} \\ %s', "😀 </b>", "", "x}{y", "slot:a"]


def template(channel: str, shout: bool = False) -> Callable[[int, str], Notification]:
    def made(number: int, text: str) -> Notification:
        return Notification(
            idempotency_key=f"alike:{number}:{channel}",
            recipient_id=None,
            channel=channel,
            key="alert.post",
            params={
                "id": number,
                "student": text,
                "line": f"about {text.upper() if shout else text}!",
            },
            choices=(Choice(Text("choice.acknowledge"), AcknowledgeAlert(number)),),
            updates=f"alike:{number}",
        )

    return made


def queued(database: Database, add: Callable[..., None]) -> list[tuple[object, ...]]:
    """The rows `add` queues, every column but the id, the payload as the text stored."""
    columns = [c for c in NotificationRow.__table__.c if c.name not in ("id", "payload")]
    with database.uow() as uow:  # rolled back at its end
        add(uow.outbox)
        query = select(cast(NotificationRow.payload, String), *columns)
        rows = uow.outbox.db.execute(query.order_by(NotificationRow.id)).all()
    return [tuple(row) for row in rows]


def test_alike_rows_are_add_many_rows(database: Database) -> None:
    templates = [template("advisors:slack"), template("advisors:discord")]
    alike = [(templates[n % 2], 1000 + n, f"{NAMES[n % len(NAMES)]} {n}") for n in range(120)]
    assert len(alike) > SMALL  # the templates' path, not add_many's
    made = [make(number, text) for make, number, text in alike]
    expected = queued(database, lambda outbox: outbox.add_many(made, NOW))
    assert queued(database, lambda outbox: outbox.add_alike(alike, NOW)) == expected
    assert len(expected) == 120


def test_a_template_that_changes_its_text_is_refused(database: Database) -> None:
    shouting = template("advisors:slack", shout=True)
    with pytest.raises(ValueError, match="as they are"):
        queued(database, lambda o: o.add_alike([(shouting, n, "ann") for n in range(SMALL)], NOW))
