"""The message catalogue: every user-visible string, in French and English (gettext .po files)."""

from __future__ import annotations

import string
from datetime import date, datetime, time
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from bot.replies import Reply, Text
from bot.weekly import Opening, WeeklyHours, openings, same_hours

LOCALES = ("fr", "en")
DOMAIN = "mentorbot"
DAY_KEYS = ("day.mon", "day.tue", "day.wed", "day.thu", "day.fri", "day.sat", "day.sun")


@cache
def catalogue(locale: str) -> dict[str, str]:
    """Merge every .po file of one locale (the core's, then each adapter's): key -> text."""
    folder = resources.files("bot") / "locale" / locale / "LC_MESSAGES"
    merged: dict[str, str] = {}
    for path in sorted(folder.iterdir(), key=lambda p: (p.name != f"{DOMAIN}.po", p.name)):
        if path.name.endswith(".po"):
            with path.open("rb") as po_file:
                messages = read_po(po_file, locale=locale)
            merged.update({str(m.id): str(m.string) for m in messages if m.id and m.string})
    return merged


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

    def text(self, item: Text) -> str:
        template = catalogue(self.locale).get(item.key) or catalogue("en").get(item.key, item.key)
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
