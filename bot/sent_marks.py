"""Marking sent messages in batches (group commit), for the outbox's concurrent senders.

A sender whose message went out records it here and waits until the mark is committed, so
"sent" is in the database before the sender moves on, as with one transaction per message.
The first sender to arrive when no commit is under way commits every mark waiting, its own and
those that arrive meanwhile; the others wait for that commit. Under load one transaction marks
several messages; a lone sender still commits at once, without waiting for a timer.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime

from bot.ports import UnitOfWorkFactory


@dataclass
class _Mark:
    notification_id: int
    at: datetime
    ref: str | None
    owner: str
    held: bool = False
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)


class SentMarks:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self.uow = uow
        self.commits = 0  # transactions, for tests and benchmarks
        self._waiting: list[_Mark] = []
        self._committing = False
        self._lock = threading.Lock()

    def mark(self, notification_id: int, at: datetime, ref: str | None, owner: str) -> bool:
        """Mark one message sent; False when `owner` no longer held it (lease lost)."""
        mine = _Mark(notification_id, at, ref, owner)
        with self._lock:
            self._waiting.append(mine)
            lead = not self._committing
            self._committing = True
        if lead:
            self._commit_all()
        mine.done.wait()
        if mine.error is not None:
            raise mine.error
        return mine.held

    def _commit_all(self) -> None:
        while True:
            with self._lock:
                batch, self._waiting = self._waiting, []
                if not batch:
                    self._committing = False
                    return
            self._commit(batch)

    def _commit(self, batch: list[_Mark]) -> None:
        try:
            with self.uow() as uow:
                for mark in batch:
                    mark.held = uow.outbox.mark_sent(
                        mark.notification_id, mark.at, mark.ref, owner=mark.owner
                    )
                uow.commit()
            self.commits += 1
        except Exception as error:  # the database went away: every sender in it hears so
            for mark in batch:
                mark.error = error
        for mark in batch:
            mark.done.set()
