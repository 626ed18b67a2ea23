"""Reading the dates, times and weekdays people type, in English or French."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.errors import UserError

WEEKDAY_NAMES = {  # the first name of each is its value in menus (bot/vocabulary.py)
    0: ("mon", "monday", "lun", "lundi"),
    1: ("tue", "tues", "tuesday", "mar", "mardi"),
    2: ("wed", "wednesday", "mer", "mercredi"),
    3: ("thu", "thur", "thursday", "jeu", "jeudi"),
    4: ("fri", "friday", "ven", "vendredi"),
    5: ("sat", "saturday", "sam", "samedi"),
    6: ("sun", "sunday", "dim", "dimanche"),
}
_WEEKDAY_BY_NAME = {name: day for day, names in WEEKDAY_NAMES.items() for name in names}
# re.ASCII everywhere: `\d` alone also matches `٣` and `৩`, which `int()` then reads.
_UTC_INSTANT = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})Z$", re.ASCII)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_TIME = re.compile(r"(\d{1,2})[:hH](\d{2})", re.ASCII)


def fold(text: str) -> str:
    """Lower case without accents, so `Mercredi`, `mercredi` and `mércredi` read the same."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def parse_weekday(text: str) -> int:
    day = _WEEKDAY_BY_NAME.get(fold(text).rstrip("."))
    if day is None:
        raise UserError("error.bad_weekday", value=text)
    return day


def parse_date(text: str) -> date:
    try:
        if not _DATE.fullmatch(text):
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        raise UserError("error.bad_date", value=text) from None
    if not 1970 <= day.year <= 2200:  # also keeps zone arithmetic away from year 1 and 9999
        raise UserError("error.bad_date", value=text)
    return day


def parse_time(text: str) -> time:
    match = _TIME.fullmatch(text)
    if not match:
        raise UserError("error.bad_time", value=text)
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise UserError("error.bad_time", value=text)
    return time(hour, minute)


def parse_time_range(text: str) -> tuple[time, time]:
    parts = text.split("-")
    if len(parts) != 2:
        raise UserError("error.bad_time_range", value=text)
    starts, ends = parse_time(parts[0]), parse_time(parts[1])
    if ends <= starts:
        raise UserError("error.bad_time_range", value=text)
    return starts, ends


def local_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime | None:
    """The UTC instant of a local wall time, or None when DST skips that time that day."""
    local = datetime.combine(day, at, tzinfo=zone)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return instant


def parse_instant(args: list[str], zone: ZoneInfo) -> datetime:
    """`YYYY-MM-DD HH:MM` in the caller's zone, or the `YYYY-MM-DDTHH:MMZ` that buttons carry."""
    if len(args) == 1 and (match := _UTC_INSTANT.match(args[0])):
        parse_date(match[1])
        try:
            return datetime.fromisoformat(f"{match[1]}T{match[2]}:00+00:00")
        except ValueError:
            raise UserError("error.bad_datetime", value=args[0]) from None
    if len(args) != 2:
        raise UserError("error.bad_datetime", value=" ".join(args))
    day, at = parse_date(args[0]), parse_time(args[1])
    instant = local_to_utc(day, at, zone)
    if instant is None:
        raise UserError("error.nonexistent_time", value=" ".join(args), zone=str(zone))
    return instant


def utc_token(instant: datetime) -> str:
    """The compact, zone-free form of an instant used inside buttons and choices."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")
