"""Roster import: people and mentorships from a CSV, all rows or none."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain import Role
from bot.errors import UserError
from bot.i18n import LOCALES
from bot.ports import UnitOfWork
from bot.replies import Text

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
EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


@dataclass(frozen=True)
class RosterRow:
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


@dataclass
class RosterReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[tuple[int, str, Text]] = field(default_factory=list)

    @property
    def applied(self) -> bool:
        return not self.rejected


class _Reject(Exception):
    def __init__(self, key: str, **params: object) -> None:
        self.reason = Text(key, params)


def _int(value: str, low: int, high: int, key: str) -> int:
    if not value.strip().isdigit() or not low <= int(value) <= high:
        raise _Reject(key, value=value, low=low, high=high)
    return int(value)


def _row(line: int, raw: dict[str, str], default_tz: str, default_locale: str) -> RosterRow:
    get = {k: (raw.get(k) or "").strip() for k in COLUMNS}
    email = get["email"].lower()
    if not EMAIL.match(email):
        raise _Reject("roster.bad_email", value=get["email"])
    if not get["name"]:
        raise _Reject("roster.missing_name")
    names = [r.strip().lower() for r in re.split(r"[;|+]", get["role"]) if r.strip()]
    if not names or any(n not in ROLE_ALIASES for n in names):
        raise _Reject("roster.bad_role", value=get["role"])
    roles = frozenset(ROLE_ALIASES[n] for n in names)
    timezone = get["timezone"] or default_tz
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise _Reject("roster.bad_timezone", value=timezone) from None
    locale = (get["locale"] or default_locale).lower()
    if locale not in LOCALES:
        raise _Reject("roster.bad_locale", value=locale)
    if get["slack_id"] and not re.fullmatch(r"[UW][A-Z0-9]{2,20}", get["slack_id"]):
        raise _Reject("roster.bad_slack_id", value=get["slack_id"])
    if get["discord_id"] and not re.fullmatch(r"\d{15,21}", get["discord_id"]):
        raise _Reject("roster.bad_discord_id", value=get["discord_id"])
    minutes = per_week = 0
    if Role.STUDENT in roles:
        if not EMAIL.match(get["mentor_email"].lower()):
            raise _Reject("roster.student_needs_mentor")
        minutes = _int(get["session_minutes"], 10, 240, "roster.bad_minutes")
        per_week = _int(get["sessions_per_week"], 1, 7, "roster.bad_per_week")
    return RosterRow(
        line,
        email,
        get["name"],
        roles,
        timezone,
        locale,
        get["slack_id"],
        get["discord_id"],
        get["mentor_email"].lower(),
        minutes,
        per_week,
        get["path"],
    )


def parse_roster(
    text: str, default_tz: str, default_locale: str
) -> tuple[list[RosterRow], list[tuple[int, str, Text]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise UserError("roster.missing_columns", columns=", ".join(missing))
    rows, rejected, seen = [], [], set()
    for raw in reader:
        line = reader.line_num
        email = (raw.get("email") or "").strip().lower()
        try:
            if email in seen:
                raise _Reject("roster.duplicate_email")
            seen.add(email)
            rows.append(_row(line, raw, default_tz, default_locale))
        except _Reject as reject:
            rejected.append((line, email, reject.reason))
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
    now: datetime | None = None,
) -> RosterReport:
    """Validate every row first; apply only when none is rejected. The caller commits."""
    rows, rejected = parse_roster(text, default_tz, default_locale)
    report = RosterReport(rejected=rejected)
    known = uow.people.by_emails(r.mentor_email for r in rows if r.mentor_email)
    mentors = {e for e, p in known.items() if p.has(Role.MENTOR)}
    mentors |= {r.email for r in rows if Role.MENTOR in r.roles}
    for row in rows:
        if Role.STUDENT in row.roles and row.mentor_email not in mentors:
            report.rejected.append(
                (row.line, row.email, Text("roster.unknown_mentor", {"value": row.mentor_email}))
            )
    if report.rejected:
        return report
    # Mentors first, so students can point at them.
    for row in sorted(rows, key=lambda r: Role.STUDENT in r.roles):
        before = _snapshot(uow, row.email)
        _apply(uow, row, now)
        after = _snapshot(uow, row.email)
        bucket = report.created if before is None else report.updated
        (bucket if before != after else report.unchanged).append(row.email)
    return report


def _apply(uow: UnitOfWork, row: RosterRow, now: datetime | None) -> None:
    person = uow.people.by_email(row.email)
    if person is None:
        person = uow.people.add(row.email, row.name, row.timezone, row.locale, row.roles, now)
    else:
        uow.people.update(
            person.id, name=row.name, timezone=row.timezone, locale=row.locale, roles=row.roles
        )
    for platform, external_id in (("slack", row.slack_id), ("discord", row.discord_id)):
        if external_id:
            uow.identities.link(person.id, platform, external_id)
    if Role.STUDENT in row.roles:
        mentor = uow.people.by_email(row.mentor_email)
        assert mentor is not None  # checked above
        uow.mentorships.save(
            person.id, mentor.id, row.path, row.session_minutes, row.sessions_per_week
        )
