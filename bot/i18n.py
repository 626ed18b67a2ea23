"""The message catalogue: every user-visible string, in French and English (gettext .po files)."""

from __future__ import annotations

import gettext
import string
import threading
from collections.abc import Callable
from datetime import date, datetime, time
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from bot.local_days import LocalDay
from bot.replies import Reply, Text
from bot.typography import elide, french
from bot.weekly import Opening, WeeklyHours, openings, same_hours

LOCALES = ("fr", "en")
DOMAIN = "mentorbot"
DAY_KEYS = ("day.mon", "day.tue", "day.wed", "day.thu", "day.fri", "day.sat", "day.sun")


@cache
def catalogue(locale: str) -> dict[str, str]:
    """Every key of one locale -> its text (a plural entry's last form), in its typography."""
    return {key: forms[-1] for key, (_, forms) in entries(locale).items()}


# A locale's .po files are parsed once per process, by the first thread that needs them: the
# others wait for its result. Without it each of a serving process's first concurrent senders
# or commands parsed them all again (16 senders: 0.7 s of GIL before the first message left).
_LOADING = threading.Lock()
_LOADED: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {}


def entries(locale: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Merge every .po file of one locale (the core's, then each adapter's): key -> (the number
    parameter choosing the form, or "" for a single form; the forms). A plural entry names its
    number parameter in `msgid_plural`: `msgid "jobs.queued"` / `msgid_plural "count"`."""
    found = _LOADED.get(locale)  # once loaded, no lock is taken
    if found is None:
        with _LOADING:
            found = _LOADED.get(locale)
            if found is None:
                found = _LOADED[locale] = _merged(locale)
    return found


def _merged(locale: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    merged: dict[str, tuple[str, tuple[str, ...]]] = {}
    for path in _po_files(locale):
        with path.open("rb") as po_file:
            messages = read_po(po_file, locale=locale)
        for m in messages:
            number, forms = _entry(m.id, m.string, locale)
            if m.id and all(forms):
                merged[_key(m.id)] = number, forms
    return merged


def _po_files(locale: str) -> list[Traversable]:
    folder = resources.files("bot") / "locale" / locale / "LC_MESSAGES"
    found = [path for path in folder.iterdir() if path.name.endswith(".po")]
    return sorted(found, key=lambda p: (p.name != f"{DOMAIN}.po", p.name))


def _key(msgid: object) -> str:
    return str(msgid[0] if isinstance(msgid, tuple | list) else msgid)


def _entry(msgid: object, string: object, locale: str) -> tuple[str, tuple[str, ...]]:
    spaced = french if locale == "fr" else str
    if isinstance(msgid, tuple | list) and isinstance(string, tuple | list):
        # A file without a Plural-Forms header gets Babel's default count of forms: pad or not,
        # the core catalogue's rule decides how many there are.
        forms = tuple(spaced(str(form)) for form in string)[: plural_count(locale)]
        return str(msgid[1]), forms
    return "", (spaced(str(string or "")),)


@cache
def plural_form(locale: str) -> Callable[[int], int]:
    """The `Plural-Forms` rule the core's catalogue declares (n -> index of the form), read by
    Babel; the other .po files of the locale follow it (Babel's own default for French has three
    forms since CLDR 42, our catalogues two)."""
    return gettext.c2py(_core_catalogue(locale).plural_expr)


def plural_count(locale: str) -> int:
    return int(_core_catalogue(locale).num_plurals)


@cache
def _core_catalogue(locale: str) -> Catalog:
    path = resources.files("bot") / "locale" / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as po_file:
        return read_po(po_file, locale=locale)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def normalise_locale(value: str | None, default: str) -> str:
    """Slack's `fr-FR`, Discord's `en-US` and plain `fr` all map onto a catalogue we have."""
    if value:
        short = value.replace("_", "-").split("-")[0].lower()
        if short in LOCALES:
            return short
    return default


class Renderer:
    """Turns core replies into plain text for one reader: their language and their zone."""

    def __init__(self, locale: str, timezone: str) -> None:
        self.locale = locale if locale in LOCALES else LOCALES[0]
        self.zone = ZoneInfo(timezone)

    def template(self, item: Text) -> str:
        """The entry's text for this reader: the plural form its number parameter chooses, and in
        French `de`/`que` elided before a name starting with a vowel."""
        chosen = self._form(item)
        return elide(chosen, item.params) if self.locale == "fr" else chosen

    def _form(self, item: Text) -> str:
        found = entries(self.locale).get(item.key) or entries("en").get(item.key)
        if found is None:
            return item.key
        number, forms = found
        count = item.params.get(number) if number else None
        if not isinstance(count, int | float) or isinstance(count, bool):
            return forms[-1]
        index = plural_form(self.locale if item.key in entries(self.locale) else "en")(int(count))
        return forms[min(index, len(forms) - 1)]

    def text(self, item: Text) -> str:
        template = self.template(item)
        params = {name: self.value(value) for name, value in item.params.items()}
        try:
            return template.format(**params)
        except (KeyError, IndexError):
            return template

    def reply(self, reply: Reply) -> list[str]:
        return [self.text(line) for line in reply.lines]

    def value(self, value: object) -> str:
        if isinstance(value, Text):
            return self.text(value)
        if isinstance(value, WeeklyHours):
            return self.weekly(value)
        if isinstance(value, LocalDay):  # a day on this reader's calendar, or the instant
            return self.value(value.shown(self.zone))
        if isinstance(value, datetime):
            return format_datetime(
                value.astimezone(self.zone), "EEE d MMM y HH:mm", locale=self.locale
            )
        if isinstance(value, date):
            return format_date(value, "EEE d MMM y", locale=self.locale)
        if isinstance(value, time):
            return format_time(value, "HH:mm", locale=self.locale)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(format_decimal(value, locale=self.locale))
        if isinstance(value, list | tuple):
            return ", ".join(self.value(v) for v in value)
        return str(value)

    def weekly(self, hours: WeeklyHours) -> str:
        """Weekly hours on the reader's clock; the owner's zone is named only as an extra."""
        shown = self._openings(openings(hours, self.zone))
        if hours.zone == self.zone.key:
            return shown
        own = self._openings(openings(hours, ZoneInfo(hours.zone)))
        return self.text(Text("weekly.elsewhere", {"hours": shown, "own": own, "zone": hours.zone}))

    def _openings(self, found: list[Opening]) -> str:
        days = [Text(DAY_KEYS[o.weekday]) for o in found]
        if found and same_hours(found):
            params = {"days": days, "starts": found[0].starts, "ends": found[0].ends}
            return self.text(Text("weekly.hours", params))
        return self.value(
            [
                Text(
                    "weekly.day",
                    {"day": Text(DAY_KEYS[o.weekday]), "starts": o.starts, "ends": o.ends},
                )
                for o in found
            ]
        )
