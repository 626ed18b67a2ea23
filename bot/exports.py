"""CSV exports for funders, certificates and spreadsheets: one row per fact over a period.

UTF-8 with a byte-order mark (so spreadsheets open accents right), every time twice: in UTC
(ISO 8601, `Z`) and in the programme's zone (ISO 8601 with its offset). Free text people wrote
about themselves (check-in answers) stays out; survey comments are the survey's point and stay.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain import Person
from bot.ports import UnitOfWork

BOM = "\ufeff"
Row = list[object]


@dataclass(frozen=True)
class Period:
    """From the first day's local midnight to the midnight after the last day."""

    first: date
    last: date
    zone: ZoneInfo

    @property
    def since(self) -> datetime:
        return datetime.combine(self.first, time(0), self.zone).astimezone(UTC)

    @property
    def until(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(0), self.zone).astimezone(UTC)


class Table:
    """Rows in the making: resolves people and writes each time in both zones."""

    def __init__(self, uow: UnitOfWork, zone: ZoneInfo) -> None:
        self.uow, self.zone = uow, zone
        self._people: dict[int, Person | None] = {}

    def person(self, person_id: int | None) -> Row:
        if person_id is None:
            return ["", ""]
        if person_id not in self._people:
            self._people[person_id] = self.uow.people.get(person_id)
        found = self._people[person_id]
        return [found.email, found.name] if found else ["", ""]

    def times(self, instant: datetime | None) -> Row:
        if instant is None:
            return ["", ""]
        utc = instant.astimezone(UTC).replace(microsecond=0)
        local = utc.astimezone(self.zone)
        return [utc.isoformat().replace("+00:00", "Z"), local.isoformat()]


def _stamped(name: str) -> list[str]:
    return [f"{name}_utc", f"{name}_local"]


def _who(name: str) -> list[str]:
    return [f"{name}_email", f"{name}_name"]


def sessions(uow: UnitOfWork, period: Period) -> tuple[list[str], list[Row]]:
    header = ["session_id", "kind", "status", "late_cancellation", "moves"]
    header += _who("student") + _who("host") + _stamped("starts_at") + _stamped("ends_at")
    header += _stamped("cancelled_at")
    t = Table(uow, period.zone)
    rows = [
        [
            s.id,
            s.kind.value,
            s.status.value,
            s.late_cancellation,
            s.move_count,
            *t.person(s.student_id),
            *t.person(s.host_id),
            *t.times(s.starts_at),
            *t.times(s.ends_at),
            *t.times(s.cancelled_at),
        ]
        for s in uow.reports.sessions(period.since, period.until)
    ]
    return header, rows


def attendance(uow: UnitOfWork, period: Period) -> tuple[list[str], list[Row]]:
    header = ["session_id", "kind", "attendance", "ready_for_defense", "outcome"]
    header += _who("student") + _who("host") + _stamped("starts_at") + _stamped("recorded_at")
    t = Table(uow, period.zone)
    held = uow.reports.sessions(period.since, period.until)
    notes = uow.reports.notes([s.id for s in held])
    rows = [
        [
            s.id,
            s.kind.value,
            n.attendance,
            n.ready_for_defense,
            n.outcome or "",
            *t.person(s.student_id),
            *t.person(s.host_id),
            *t.times(s.starts_at),
            *t.times(n.recorded_at),
        ]
        for s in held
        if (n := notes.get(s.id)) is not None
    ]
    return header, rows


def alerts(uow: UnitOfWork, period: Period) -> tuple[list[str], list[Row]]:
    header = ["alert_id", "category", "status", "reports", "raised_by_system"]
    header += _who("student") + _who("raised_by") + _stamped("raised_at")
    header += _stamped("acknowledged_at") + _stamped("resolved_at")
    t = Table(uow, period.zone)
    rows = [
        [
            a.id,
            a.category.value,
            a.status.value,
            a.reports,
            a.raised_by is None,
            *t.person(a.student_id),
            *t.person(a.raised_by),
            *t.times(a.created_at),
            *t.times(a.acknowledged_at),
            *t.times(a.resolved_at),
        ]
        for a in uow.reports.alerts_raised(period.since, period.until)
    ]
    return header, rows


def checkins(uow: UnitOfWork, period: Period) -> tuple[list[str], list[Row]]:
    header = ["iso_week", *_who("student"), *_stamped("sent_at"), *_stamped("answered_at")]
    header.append("confidence")
    t = Table(uow, period.zone)
    rows = [
        [
            f"{c.iso_year}-W{c.iso_week:02d}",
            *t.person(c.student_id),
            *t.times(c.sent_at),
            *t.times(c.answered_at),
            c.confidence if c.confidence is not None else "",
        ]
        for c in uow.reports.checkins_sent(period.since, period.until)
    ]
    return header, rows


def feedback(uow: UnitOfWork, period: Period) -> tuple[list[str], list[Row]]:
    header = ["session_id", *_who("student"), *_who("mentor"), *_stamped("asked_at")]
    header += [*_stamped("answered_at"), "score", "comment"]
    t = Table(uow, period.zone)
    rows = [
        [
            f.session_id,
            *t.person(f.student_id),
            *t.person(f.host_id),
            *t.times(f.asked_at),
            *t.times(f.answered_at),
            f.score if f.score is not None else "",
            f.comment or "",
        ]
        for f in uow.feedback.asked_between(period.since, period.until)
    ]
    return header, rows


Export = Callable[[UnitOfWork, Period], tuple[list[str], list[Row]]]
KINDS: dict[str, Export] = {
    "sessions": sessions,
    "attendance": attendance,
    "alerts": alerts,
    "checkins": checkins,
    "feedback": feedback,
}


def to_csv(header: list[str], rows: Iterable[Row]) -> bytes:
    """Spreadsheet-safe: a BOM, CRLF rows, and no cell that a spreadsheet would run as a
    formula (`=`, `+`, `-`, `@` at the start of text get a leading apostrophe)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return (BOM + buffer.getvalue()).encode("utf-8")


def _cell(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def export(uow: UnitOfWork, kind: str, period: Period) -> tuple[bytes, int]:
    """The CSV's bytes and its number of rows."""
    header, rows = KINDS[kind](uow, period)
    return to_csv(header, rows), len(rows)
