"""Roster import: people and mentorships from a CSV, all rows or none."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from sys import intern
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain import Role
from bot.errors import UserError
from bot.i18n import LOCALES
from bot.ports import UnitOfWork
from bot.replies import Text
from bot.services.reassignment import reassign
from bot.services.roster_bulk import Progress, create_new, identity_conflicts
from bot.services.welcome import welcome
from bot.text import ascii_int, clean
from bot.timeparse import fold

if TYPE_CHECKING:
    from _csv import Reader

COLUMNS = [
    "email",
    "name",
    "role",
    "timezone",
    "locale",
    "slack_id",
    "discord_id",
    "mentor_email",
    "session_minutes",
    "sessions_per_week",
    "path",
]
REQUIRED = ("email", "name", "role")
ROLE_ALIASES = {
    "student": Role.STUDENT,
    "etudiant": Role.STUDENT,
    "étudiant": Role.STUDENT,
    "mentor": Role.MENTOR,
    "validator": Role.VALIDATOR,
    "validateur": Role.VALIDATOR,
    "advisor": Role.ADVISOR,
    "conseiller": Role.ADVISOR,
}
ROLE_SEPARATOR = re.compile(r"[;|+]")
EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
SLACK_ID = re.compile(r"[UW][A-Z0-9]{2,20}", re.ASCII)
DISCORD_ID = re.compile(r"[0-9]{15,21}", re.ASCII)
# The widths of the columns these land in (storage.models); longer is refused by line.
MAX_LENGTH = {"email": 320, "name": 200, "path": 200}
_WIDTHS = [(COLUMNS.index(column), column, width) for column, width in MAX_LENGTH.items()]
# Comma, or what spreadsheets export instead: semicolon (French Excel), tab ("Unicode text"), pipe.
DELIMITERS = ",;\t|"
PLATFORMS = ("slack", "discord")


class RosterRow(NamedTuple):
    """A valid row. A tuple, not a dataclass: a roster of 100,000 rows makes 100,000 of them
    (a frozen dataclass's per-field `__setattr__` was a tenth of parsing, and its `__dict__`
    memory)."""

    line: int
    email: str
    name: str
    roles: frozenset[Role]
    timezone: str
    locale: str
    slack_id: str
    discord_id: str
    mentor_email: str
    session_minutes: int
    sessions_per_week: int
    path: str
    identities: tuple[tuple[str, str], ...]  # the chat accounts this row links, by platform


@dataclass
class RosterReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[tuple[int, str, Text]] = field(default_factory=list)
    reassigned: list[str] = field(default_factory=list)  # students given another mentor

    @property
    def applied(self) -> bool:
        return not self.rejected


class _Reject(Exception):
    def __init__(self, key: str, **params: object) -> None:
        self.reason = Text(key, params)


# What a column's text means, looked up once per distinct text: a roster of 100,000 rows
# names a handful of roles, zones and numbers.
@lru_cache(maxsize=1024)
def _roles(text: str) -> frozenset[Role] | None:
    names = [r.strip().lower() for r in ROLE_SEPARATOR.split(text) if r.strip()]
    if not names or any(n not in ROLE_ALIASES for n in names):
        return None
    return frozenset(ROLE_ALIASES[n] for n in names)


@lru_cache(maxsize=1024)
def _number(text: str, low: int, high: int) -> int | None:
    number = ascii_int(text)
    return number if number is not None and low <= number <= high else None


def _int(value: str, low: int, high: int, key: str) -> int:
    number = _number(value, low, high)
    if number is None:
        raise _Reject(key, value=value, low=low, high=high)
    return number


@lru_cache(maxsize=1024)
def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _row(line: int, fields: list[str], default_tz: str, default_locale: str) -> RosterRow:
    """One row's fields, stripped, in COLUMNS' order, checked in the order of the messages."""
    email, name, role, timezone, locale, slack_id, discord_id, mentor, minutes, per_week, path = (
        fields
    )
    for index, column, width in _WIDTHS:
        if len(fields[index]) > width:
            raise _Reject("roster.too_long", column=column, max=width)
    email = email.lower()
    if not EMAIL.match(email):
        raise _Reject("roster.bad_email", value=fields[0])
    if not name:
        raise _Reject("roster.missing_name")
    roles = _roles(role)
    if roles is None:
        raise _Reject("roster.bad_role", value=role)
    timezone = timezone or default_tz
    if not _known_zone(timezone):
        raise _Reject("roster.bad_timezone", value=timezone)
    locale = (locale or default_locale).lower()
    if locale not in LOCALES:
        raise _Reject("roster.bad_locale", value=locale)
    if slack_id and not SLACK_ID.fullmatch(slack_id):
        raise _Reject("roster.bad_slack_id", value=slack_id)
    if discord_id and not DISCORD_ID.fullmatch(discord_id):
        raise _Reject("roster.bad_discord_id", value=discord_id)
    mentor = mentor.lower()
    session_minutes = sessions_per_week = 0
    if Role.STUDENT in roles:
        if not EMAIL.match(mentor):
            raise _Reject("roster.student_needs_mentor")
        if mentor == email:
            raise _Reject("roster.own_mentor")
        session_minutes = _int(minutes, 10, 240, "roster.bad_minutes")
        sessions_per_week = _int(per_week, 1, 7, "roster.bad_per_week")
    accounts: tuple[tuple[str, str], ...] = ((PLATFORMS[0], slack_id),) if slack_id else ()
    if discord_id:
        accounts += ((PLATFORMS[1], discord_id),)
    return RosterRow(
        line,
        email,
        name,
        roles,
        intern(timezone),  # a few zones, locales and mentors over 100,000 rows: one copy each
        intern(locale),
        slack_id,
        discord_id,
        intern(mentor),
        session_minutes,
        sessions_per_week,
        path,
        accounts,
    )


def _delimiter(header: str) -> str:
    """The separator that makes the most known column names of the header line (comma on a tie)."""

    def known(delimiter: str) -> int:
        return sum(name.strip(' "').lower() in COLUMNS for name in header.split(delimiter))

    return max(DELIMITERS, key=known)


def parse_roster(
    text: str, default_tz: str, default_locale: str
) -> tuple[list[RosterRow], list[tuple[int, str, Text]]]:
    text = clean(text).lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text.partition("\n")[0]))
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise UserError("roster.missing_columns", columns=", ".join(missing))
        return _rows(reader, header, default_tz, default_locale)
    except csv.Error:  # a field over csv's size limit, a stray quote in strict mode
        # csv's own text is English: the reader gets the catalogue's.
        reason = Text("roster.malformed_field")
        raise UserError("roster.unreadable", line=reader.line_num, reason=reason) from None


def _rows(
    reader: Reader, header: list[str], default_tz: str, default_locale: str
) -> tuple[list[RosterRow], list[tuple[int, str, Text]]]:
    """Rows by position (csv.reader; a dict a row was a fifth of parsing): each column is where
    the header last names it (as csv.DictReader read it), a column absent or cut short is empty,
    a blank line is skipped."""
    where = {name: index for index, name in enumerate(header)}
    picked = [where.get(column, -1) for column in COLUMNS]
    width = max(picked) + 1
    padding = [""] * (width + 1)  # and one more "": index -1, an absent column, reads it
    rows, rejected, seen = [], [], set()
    for fields in reader:
        if not fields:
            continue
        line = reader.line_num
        fields += padding[: max(width - len(fields), 0) + 1]
        values = [fields[index].strip() for index in picked]
        email = values[0].lower()
        try:
            if email in seen:
                raise _Reject("roster.duplicate_email")
            seen.add(email)
            rows.append(_row(line, values, default_tz, default_locale))
        except _Reject as reject:
            rejected.append((line, email[:320], reject.reason))
    return rows, rejected


def _snapshot(uow: UnitOfWork, email: str) -> object:
    person = uow.people.by_email(email)
    if person is None:
        return None
    return (
        person,
        uow.mentorships.for_student(person.id),
        uow.identities.external_id(person.id, "slack"),
        uow.identities.external_id(person.id, "discord"),
    )


def import_roster(
    uow: UnitOfWork,
    text: str,
    default_tz: str,
    default_locale: str,
    now: datetime,
    progress: Progress | None = None,
    *,
    welcome_new: bool = True,
) -> RosterReport:
    """Validate every row first; apply only when none is rejected. The caller commits.
    `welcome_new=False` imports without the welcomes (a programme moved from another tool).

    New people are created in bulk (a first import of a whole school takes seconds), people
    already there are updated row by row; `progress(done, total)` follows the rows applied."""
    rows, rejected = parse_roster(text, default_tz, default_locale)
    rows = _with_known_paths(uow, rows, rejected)
    report = RosterReport(rejected=rejected)
    known = uow.people.by_emails(r.mentor_email for r in rows if r.mentor_email)
    mentors = {e for e, p in known.items() if p.has(Role.MENTOR)}
    mentors |= {r.email for r in rows if Role.MENTOR in r.roles}
    for row in rows:
        if Role.STUDENT in row.roles and row.mentor_email not in mentors:
            report.rejected.append(
                (row.line, row.email, Text("roster.unknown_mentor", {"value": row.mentor_email}))
            )
    existing = uow.people.by_emails(r.email for r in rows)
    report.rejected.extend(identity_conflicts(uow, rows, existing))
    if report.rejected:
        report.rejected.sort(key=lambda rejected: rejected[0])
        return report
    # Mentors first, so students can point at them.
    ordered = sorted(rows, key=lambda r: Role.STUDENT in r.roles)
    new = [r for r in ordered if r.email not in existing]
    created = create_new(uow, new, {**known, **existing}, now, progress)
    report.created.extend(p.email for p in created)
    if welcome_new:  # each newcomer told what the bot does for them
        welcome(uow, created, now)
    for done, row in enumerate((r for r in ordered if r.email in existing), len(new) + 1):
        if progress is not None and done % 500 == 0:
            progress(done, len(rows))
        before = _snapshot(uow, row.email)
        if _apply(uow, row, now):
            report.reassigned.append(row.email)
        after = _snapshot(uow, row.email)
        bucket = report.created if before is None else report.updated
        (bucket if before != after else report.unchanged).append(row.email)
    return report


def _with_known_paths(
    uow: UnitOfWork, rows: list[RosterRow], rejected: list[tuple[int, str, Text]]
) -> list[RosterRow]:
    """Rows naming a path by its exact name (`web` is `Web`), or rejected when no path has it.

    With no path imported yet, any name is kept: the paths file may come after the roster.
    """
    names = {fold(name): name for name in uow.paths.names()}
    if not names:
        return rows
    kept = []
    for row in rows:
        if row.path and fold(row.path) not in names:
            known = ", ".join(sorted(names.values()))
            rejected.append(
                (
                    row.line,
                    row.email,
                    Text("roster.unknown_path", {"value": row.path, "known": known}),
                )
            )
        else:
            kept.append(row._replace(path=names[fold(row.path)]) if row.path else row)
    return kept


def unlink_identity(uow: UnitOfWork, email: str, platform: str) -> str:
    """Free a person's chat account, so a roster can give it to someone else; the caller commits."""
    person = uow.people.by_email(email.strip().lower())
    if person is None:
        raise UserError("roster.unknown_email", email=email)
    external_id = uow.identities.unlink(person.id, platform)
    if external_id is None:
        raise UserError("roster.nothing_to_unlink", email=person.email, platform=platform)
    return external_id


def _apply(uow: UnitOfWork, row: RosterRow, now: datetime) -> bool:
    """Create or update the row's person; True when a student changed mentor."""
    person = uow.people.by_email(row.email)
    if person is None:
        person = uow.people.add(row.email, row.name, row.timezone, row.locale, row.roles, now)
    else:
        uow.people.update(
            person.id, name=row.name, timezone=row.timezone, locale=row.locale, roles=row.roles
        )
    for platform, external_id in row.identities:
        linked = uow.identities.link(person.id, platform, external_id)
        assert linked  # _identity_conflicts refused the rows that would move an account
    if Role.STUDENT in row.roles:
        mentor = uow.people.by_email(row.mentor_email)
        assert mentor is not None  # checked above
        before = uow.mentorships.for_student(person.id)
        uow.mentorships.save(
            person.id, mentor.id, row.path, row.session_minutes, row.sessions_per_week
        )
        after = uow.mentorships.for_student(person.id)
        if before is not None and after is not None and before.mentor_id != mentor.id:
            reassign(uow, person, before, after, now)
            return True
    return False
