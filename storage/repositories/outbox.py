"""The outbox: queued notifications, leased to delivery workers and marked once sent."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from json.encoder import encode_basestring_ascii as _escaped  # what json.dumps does to a str

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    case,
    cast,
    delete,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.sql import Executable

from bot.attachments import Attachment
from bot.channels import PERSON_ROUTES, UNREACHABLE, Backlog, Reach
from bot.domain import Notification, QueuedNotification
from bot.ports.outbox import RECIPIENT, Template
from storage import codec
from storage.bulk import Encoded, columns_of, row_text, rows_of
from storage.dialects import insert
from storage.models import IdentityRow, NotificationRow
from storage.repositories import Repository


def _queue(row: NotificationRow) -> str:
    return queue_of(row.recipient_id, row.channel)


def _may_go(row: NotificationRow, waiting: tuple[int, int | None] | None) -> bool:
    """`waiting`: (the queue's oldest pending id, the first one the claim did not get, or
    None when the oldest failed and goes alone); None: nothing in its queue waits."""
    if waiting is None:
        return True
    head, gap = waiting
    return row.id == head if gap is None else row.id < gap


def queue_of(recipient_id: int | None, channel: str | None) -> str:
    """The delivery order is kept per recipient: a person, or a channel."""
    return f"person:{recipient_id}" if recipient_id is not None else f"channel:{channel}"


def _linked(platform: str) -> ColumnElement[bool]:
    return exists().where(
        IdentityRow.person_id == NotificationRow.recipient_id, IdentityRow.platform == platform
    )


def _person_route(platform: str, routes: Sequence[str]) -> ColumnElement[bool]:
    """People `platform` reaches: linked on it and on no route preferred to it. The first route
    also takes people linked on none (Slack may find them by email) unless nothing found them
    before (parked: they wait until they link)."""
    index = routes.index(platform)
    linked = and_(_linked(platform), *(~_linked(p) for p in routes[:index]))
    if index > 0:
        return linked
    nowhere = and_(*(~_linked(p) for p in routes), NotificationRow.parked_at.is_(None))
    return or_(linked, nowhere)


def _reaches(reach: Reach) -> ColumnElement[bool]:
    if reach.platforms is None:  # everything, except what waits for its recipient to link
        people = or_(
            NotificationRow.parked_at.is_(None),
            exists().where(IdentityRow.person_id == NotificationRow.recipient_id),
        )
    else:
        people = or_(
            false(), *(_person_route(p, reach.routes) for p in reach.platforms if p in reach.routes)
        )
    if reach.person_id is not None:
        people = and_(people, NotificationRow.recipient_id == reach.person_id)
    channels = true() if reach.channels is None else NotificationRow.channel.in_(reach.channels)
    return or_(
        and_(NotificationRow.recipient_id.is_not(None), people),
        and_(NotificationRow.recipient_id.is_(None), channels),
    )


def _route_label(routes: Sequence[str]) -> ColumnElement[str]:
    """The route each row takes now, for the backlog gauges (same rules as `_person_route`)."""
    return case(
        (NotificationRow.recipient_id.is_(None), func.coalesce(NotificationRow.channel, "-")),
        *((_linked(p), literal(p)) for p in routes),
        (NotificationRow.parked_at.is_not(None), literal(UNREACHABLE)),
        else_=literal(routes[0]),
    )


def _fixed(rows: Sequence[dict[str, object]]) -> dict[str, object]:
    """The columns with one value in every row (the times, the attempts; a channel's posts),
    bound once (storage.bulk.rows_of)."""
    first = rows[0]
    return {
        name: value
        for name, value in first.items()
        if name not in ("idempotency_key", "payload") and all(r[name] == value for r in rows)
    }


# add_many: below SMALL rows, bound as usual; above, BULK rows a statement as one JSON value.
SMALL, BULK = 50, 5_000
# add_alike: the number and text a template is encoded with, twice (values no row shows).
_SLOTS = (
    (7_919_357_913_579_135_791, "\x00slot:a\x00"),
    (7_919_246_824_682_468_246, "\x00slot:b\x00"),
)

_PENDING = (NotificationRow.sent_at.is_(None), NotificationRow.failed_at.is_(None))
# What a claim may take: pending and not parked. The same terms as the partial index
# `ix_outbox_claimable`, so sent, failed, discarded and parked rows are never read by a claim
# (a parked row comes back when its recipient links, or at the daily `unparked` job).
_CLAIMABLE = (*_PENDING, NotificationRow.parked_at.is_(None))


class OutboxRepository(Repository):
    """The outbox's rows. A claim leases rows to one owner (a token per claim); every later
    write by that worker names its owner, so a worker whose lease expired and was taken over
    changes nothing (`False` is returned) instead of marking another worker's message."""

    def add(self, notification: Notification, now: datetime) -> None:
        """Queue once: a second notification with the same idempotency key is ignored."""
        self.add_many([notification], now)

    def add_many(self, notifications: Sequence[Notification], now: datetime) -> None:
        """Queue many in a few statements (a roster's welcomes); existing keys are skipped.
        Past a few rows, BULK of them go as one JSON value (storage.bulk), in order."""
        shared: codec.Shared = {}  # the texts the notifications share, encoded once
        if len(notifications) < SMALL:
            rows = [self._row(n, now, shared) for n in notifications]
            if rows:
                statement = insert(self.db, NotificationRow).on_conflict_do_nothing()
                self.db.execute(statement, rows)
            return
        table = NotificationRow.__table__
        for start in range(0, len(notifications), BULK):
            rows = [self._row(n, now, shared) for n in notifications[start : start + BULK]]
            fixed = _fixed(rows)
            columns = [name for name in rows[0] if name not in fixed]
            values = [[row[name] for name in columns] for row in rows]
            source = rows_of(self.db, table, columns, values, fixed)
            statement = insert(self.db, NotificationRow).from_select([*columns, *fixed], source)
            self.db.execute(statement.on_conflict_do_nothing())

    def add_alike(self, notifications: Sequence[tuple[Template, int, str]], now: datetime) -> None:
        """`add_many` of notifications each made by its template (a few shared by all) from a
        number and a text: a template is encoded once, each row is that text with its number
        and text put in (the codec's walk and json.dumps of each row were a third of raising
        10,000 alerts). The same rows, in the same order, as add_many's."""
        if len(notifications) < SMALL:
            self.add_many([make(number, text) for make, number, text in notifications], now)
            return
        firsts = {make: (number, text) for make, number, text in reversed(notifications)}
        rows = {make: [self._row(make(n, t), now) for n, t in _SLOTS] for make in firsts}
        fixed = _fixed([row for pair in rows.values() for row in pair])
        columns = [name for name in next(iter(rows.values()))[0] if name not in fixed]
        table = NotificationRow.__table__
        if self.db.get_bind().dialect.name == "postgresql":
            # Each column's values a JSON array of their own (storage.bulk.columns_of): a
            # template's form per column, each row's value that form with its number and
            # text put in.
            each = {
                m: [self._form(m, [c], *f, now)[1:-1] for c in columns] for m, f in firsts.items()
            }
            for start in range(0, len(notifications), BULK):
                chunk = notifications[start : start + BULK]
                values = [(each[m], n, _escaped(t)[1:-1]) for m, n, t in chunk]
                arrays = [
                    Encoded(f"[{', '.join(forms[c].format(n, t) for forms, n, t in values)}]")
                    for c in range(len(columns))
                ]
                source = columns_of(self.db, table, columns, arrays, fixed)
                statement = insert(self.db, NotificationRow).from_select([*columns, *fixed], source)
                self.db.execute(statement.on_conflict_do_nothing())
            return
        forms = {make: self._form(make, columns, *first, now) for make, first in firsts.items()}
        for start in range(0, len(notifications), BULK):
            chunk = notifications[start : start + BULK]
            texts = [forms[m].format(n, _escaped(t)[1:-1]) for m, n, t in chunk]
            source = rows_of(self.db, table, columns, Encoded(f"[{', '.join(texts)}]"), fixed)
            statement = insert(self.db, NotificationRow).from_select([*columns, *fixed], source)
            self.db.execute(statement.on_conflict_do_nothing())

    def _form(
        self, make: Template, columns: list[str], number: int, text: str, now: datetime
    ) -> str:
        """A template's row (its `columns`) as a format string: its number {0}, its text {1}
        JSON-escaped. Encoded with two numbers and texts no row shows, and checked against a
        real one's: a template that shows them otherwise than as they are is refused."""

        def encoded(number: int, text: str) -> str:
            row = self._row(make(number, text), now)
            return row_text(self.db, NotificationRow.__table__, columns, [row[c] for c in columns])

        forms = []
        for slot, slot_text in _SLOTS:
            numbers = re.escape(str(slot))
            parts = re.split(
                f"({numbers}|{re.escape(json.dumps(slot_text)[1:-1])})", encoded(slot, slot_text)
            )
            forms.append(
                "".join(
                    part.replace("{", "{{").replace("}", "}}")
                    if n % 2 == 0
                    else ("{0}" if part == str(slot) else "{1}")
                    for n, part in enumerate(parts)
                )
            )
        if forms[0] != forms[1] or forms[0].format(number, json.dumps(text)[1:-1]) != encoded(
            number, text
        ):
            raise ValueError("a template must show its number and text as they are")
        return forms[0]

    def add_to_each(
        self, notification: Notification, recipients: Select[int], now: datetime
    ) -> int:
        """The same notification to each person `recipients` selects (their ids: a page of a
        week's check-ins), in one INSERT … SELECT computed by the database: the payload is
        encoded and bound once, each key is the template's with RECIPIENT replaced by the
        person's id. Nothing is bound per row. Existing keys are skipped; returns how many
        were queued, in the order of the recipients' ids. Storage's own: the caller is the
        repository that selects them (a port cannot carry a query)."""
        statement = self.to_each(notification, recipients, now)
        return int(getattr(self.db.execute(statement), "rowcount", 0) or 0)

    def to_each(
        self, notification: Notification, recipients: Select[int], now: datetime
    ) -> Executable:
        """add_to_each's statement, to execute once or more (with the parameters `recipients`
        leaves unbound: a page's bounds)."""
        prefix, marker, suffix = notification.idempotency_key.partition(RECIPIENT)
        if not marker:
            raise ValueError(f"a key for each recipient needs {RECIPIENT}")
        recipient = recipients.selected_columns[0]
        values = {"idempotency_key": literal(prefix) + cast(recipient, String) + literal(suffix)}
        values["recipient_id"] = recipient
        for name, value in self._row(notification, now).items():
            if name not in values and value is not None:
                values[name] = literal(value, getattr(NotificationRow, name).type)
        source = recipients.with_only_columns(*values.values()).order_by(recipient)
        statement = insert(self.db, NotificationRow).from_select(list(values), source)
        statement = statement.on_conflict_do_nothing().execution_options(preserve_rowcount=True)
        return statement

    @staticmethod
    def _row(
        notification: Notification, now: datetime, shared: codec.Shared | None = None
    ) -> dict[str, object]:
        return {
            "idempotency_key": notification.idempotency_key,
            "recipient_id": notification.recipient_id,
            "channel": notification.channel,
            "payload": {
                "key": notification.key,
                "params": codec.encode(notification.params, shared),
                "choices": codec.encode(notification.choices, shared),
                "files": [a.encoded() for a in notification.attachments],
            },
            "attempts": 0,
            "next_attempt_at": notification.not_before or now,
            "due_since": notification.not_before or now,
            "updates": notification.updates,
            "created_at": now,
        }

    def claim_due(
        self,
        now: datetime,
        limit: int,
        lease_seconds: int | float,
        reach: Reach | None = None,
        owner: str | None = None,
    ) -> list[QueuedNotification]:
        """Lease due rows to `owner` so that two workers never send the same one at once.

        `reach` limits the claim to what this worker's adapters deliver (None: everything).
        Per-recipient order: while a recipient's oldest pending row is being retried, is
        leased, is parked or is being claimed by another worker, their later rows wait.
        """
        query = select(NotificationRow).where(
            *_CLAIMABLE,
            NotificationRow.next_attempt_at <= now,
            or_(NotificationRow.claimed_until.is_(None), NotificationRow.claimed_until <= now),
            _reaches(reach or Reach()),
        )
        query = query.order_by(NotificationRow.id).limit(limit).with_for_update(skip_locked=True)
        candidates = self.db.scalars(query).all()
        waiting = self._waiting_behind(now, candidates)
        rows = [row for row in candidates if _may_go(row, waiting.get(_queue(row)))]
        for row in rows:
            row.claimed_until = now + timedelta(seconds=lease_seconds)
            row.claim_token = owner
        self.db.flush()
        return [
            QueuedNotification(
                row.id, self._notification(row), row.attempts, row.due_since or row.created_at
            )
            for row in rows
        ]

    def _waiting_behind(
        self, now: datetime, candidates: Sequence[NotificationRow]
    ) -> dict[str, tuple[int, int | None]]:
        """Of the candidates' queues, those where some rows must wait -> (the queue's oldest
        pending id, the first pending id this claim did not get, or None when the queue sends
        its oldest row alone). One query over those queues' pending rows only.

        - A queue with a row that failed, was rate limited or is parked sends its oldest pending
          row alone, and only when it is due, until it goes (as `_may_go` reads it).
        - Otherwise the queue goes up to the oldest pending row this claim did not get: one that
          waits for a retry, is leased, or is locked by a claim running at this very moment
          (`SKIP LOCKED`, not committed yet, so it still looks free). A row never tried whose
          time has not come (another process's clock a little ahead) holds nothing back."""
        people = {r.recipient_id for r in candidates if r.recipient_id is not None}
        channels = {r.channel for r in candidates if r.recipient_id is None}
        if not people and not channels:
            return {}
        row = NotificationRow
        busy = or_(row.attempts > 0, row.last_error.is_not(None), row.parked_at.is_not(None))
        missing = and_(
            row.id.not_in([r.id for r in candidates]),
            or_(row.next_attempt_at <= now, busy, row.claimed_until > now),
        )
        queues = self.db.execute(
            select(
                row.recipient_id,
                row.channel,
                func.min(row.id),
                func.max(case((busy, 1), else_=0)),
                func.min(case((missing, row.id), else_=None)),
            )
            .where(
                *_PENDING,
                or_(
                    row.recipient_id.in_(people),
                    and_(row.recipient_id.is_(None), row.channel.in_(channels)),
                ),
            )
            .group_by(row.recipient_id, row.channel)
        )
        return {
            queue_of(r, c): (head, gap if not failing else None)
            for r, c, head, failing, gap in queues
            if failing or gap is not None
        }

    def _held(self, ids: Sequence[int], owner: str | None) -> ColumnElement[bool]:
        held = and_(NotificationRow.id.in_(ids), *_PENDING)
        return held if owner is None else and_(held, NotificationRow.claim_token == owner)

    def _update_held(self, notification_id: int, owner: str | None, **values: object) -> bool:
        result = self.db.execute(
            update(NotificationRow)
            .where(self._held([notification_id], owner))
            .values(claimed_until=None, claim_token=None, **values)
        )
        return bool(getattr(result, "rowcount", 0))

    def renew(self, ids: Sequence[int], owner: str, until: datetime) -> set[int]:
        """Extend the lease on what `owner` still holds; returns those ids (the others were
        lost: their lease expired and another worker claimed them)."""
        if not ids:
            return set()
        result = self.db.execute(
            update(NotificationRow)
            .where(self._held(ids, owner))
            .values(claimed_until=until)
            .returning(NotificationRow.id)
        )
        return set(result.scalars().all())

    def release(self, *notification_ids: int, owner: str | None = None) -> int:
        """Give leased rows back untried (a stop, or the recipient's earlier message failed),
        so that no one waits for the lease to expire; returns how many were still held."""
        if not notification_ids:
            return 0
        result = self.db.execute(
            update(NotificationRow)
            .where(self._held(notification_ids, owner))
            .values(claimed_until=None, claim_token=None)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def _notification(self, row: NotificationRow) -> Notification:
        edit_ref = None
        if row.updates is not None:
            edit_ref = self.db.scalar(
                select(NotificationRow.platform_ref).where(
                    NotificationRow.idempotency_key == row.updates
                )
            )
        return Notification(
            idempotency_key=row.idempotency_key,
            recipient_id=row.recipient_id,
            channel=row.channel,
            key=row.payload["key"],
            params=codec.decode(row.payload["params"]),
            choices=codec.choices(row.payload.get("choices", [])),
            attachments=tuple(Attachment.decoded(f) for f in row.payload.get("files", [])),
            updates=row.updates,
            edit_ref=edit_ref,
        )

    def mark_sent(
        self, notification_id: int, at: datetime, ref: str | None = None, owner: str | None = None
    ) -> bool:
        """False when `owner` no longer holds it (its lease was taken over)."""
        attempts = NotificationRow.attempts + 1
        return self._update_held(
            notification_id, owner, sent_at=at, platform_ref=ref, attempts=attempts
        )

    def retry_later(
        self,
        notification_id: int,
        error: str,
        at: datetime,
        *,
        counts: bool = True,
        owner: str | None = None,
    ) -> bool:
        """Try again at `at`; a rate limit does not count as an attempt (`counts=False`)."""
        return self._update_held(
            notification_id,
            owner,
            next_attempt_at=at,
            last_error=error[:2000],
            attempts=NotificationRow.attempts + (1 if counts else 0),
        )

    def give_up(
        self, notification_id: int, error: str, at: datetime, owner: str | None = None
    ) -> bool:
        return self._update_held(
            notification_id,
            owner,
            failed_at=at,
            last_error=error[:2000],
            attempts=NotificationRow.attempts + 1,
        )

    def park(
        self, notification_id: int, error: str, at: datetime, owner: str | None = None
    ) -> bool:
        """Nothing reaches the recipient: keep it unsent, out of every claim until they link.

        Someone who linked while it was being tried is not parked: it goes back to the queue
        (linking unparks, see IdentitiesRepository.link; this closes the race)."""
        linked = exists().where(IdentityRow.person_id == NotificationRow.recipient_id)
        parked = case((linked, None), else_=literal(at, NotificationRow.parked_at.type))
        return self._update_held(notification_id, owner, parked_at=parked, last_error=error[:2000])

    def unpark_person(self, person_id: int) -> int:
        """They linked an account: their parked messages are claimable again, in order."""
        result = self.db.execute(
            update(NotificationRow)
            .where(
                *_PENDING,
                NotificationRow.recipient_id == person_id,
                NotificationRow.parked_at.is_not(None),
            )
            .values(parked_at=None)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def prune(self, finished_before: datetime, batch: int = 5_000) -> int:
        """Delete up to `batch` rows sent or given up (failed, discarded) before the cutoff;
        the caller commits and calls again until it returns less than `batch`. Their keys may
        then be queued again, so the retention outlasts every job's look-back."""
        finished = or_(
            NotificationRow.sent_at < finished_before, NotificationRow.failed_at < finished_before
        )
        ids = select(NotificationRow.id).where(finished).limit(batch).scalar_subquery()
        result = self.db.execute(delete(NotificationRow).where(NotificationRow.id.in_(ids)))
        return int(getattr(result, "rowcount", 0) or 0)

    def unpark(self, parked_before: datetime) -> int:
        """Route parked messages again (the daily look-up): whoever joined a platform since is
        found by email; the others are parked again, the advisors not told twice."""
        result = self.db.execute(
            update(NotificationRow)
            .where(*_PENDING, NotificationRow.parked_at < parked_before)
            .values(parked_at=None)
        )
        return int(getattr(result, "rowcount", 0))

    def discard_pending(self, key_prefix: str, at: datetime) -> None:
        """Drop queued, unsent notifications (a cancelled session's reminders)."""
        self.db.execute(
            update(NotificationRow)
            .where(
                NotificationRow.idempotency_key.startswith(key_prefix, autoescape=True), *_PENDING
            )
            .values(failed_at=at, last_error="discarded: no longer relevant")
        )

    def pending_count(self) -> int:
        query = select(func.count()).select_from(NotificationRow).where(*_PENDING)
        return self.db.scalar(query) or 0

    def stats(self, now: datetime, routes: Sequence[str] = PERSON_ROUTES) -> list[Backlog]:
        """The backlog gauges, per route, in one query: unsent messages, and how long the
        oldest due one has been due. Parked messages count under `unreachable`."""
        due = func.coalesce(NotificationRow.due_since, NotificationRow.created_at)
        rows = (
            select(_route_label(routes).label("route"), due.label("due"))
            .where(*_PENDING)
            .subquery()
        )
        query = select(
            rows.c.route, func.count(), func.min(case((rows.c.due <= now, rows.c.due)))
        ).group_by(rows.c.route)
        return [
            Backlog(route, count, (now - oldest).total_seconds() if oldest is not None else 0.0)
            for route, count, oldest in self.db.execute(query).all()
        ]
