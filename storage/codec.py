"""Notification parameters to and from JSON, keeping datetimes, dates and nested texts typed.

A choice is stored as its encoded action (`bot.actions`); a row written before actions holds a
command line there instead (`/alerts ack 7`), which the same decoder still reads.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time
from typing import Any

from bot import actions
from bot.replies import Choice, Text
from bot.weekly import WeeklyHours

log = logging.getLogger(__name__)
_PLAIN = frozenset({str, int, float, bool})


# Texts already encoded in a batch, by identity (each kept alive beside its encoding, so that
# its id is never another's): a batch's notifications share their fixed texts.
Shared = dict[int, tuple[Text, Any]]


def encode(value: object, shared: Shared | None = None) -> Any:
    """`value` as JSON; with `shared`, a text met again in the batch is encoded once (10,000
    alerts' posts share their category, status and button labels)."""
    if value is None or type(value) in _PLAIN:  # most values: a name, a number (first, fast)
        return value
    if isinstance(value, Text):
        return _text(value, shared)
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, WeeklyHours):
        return {"$weekly": _weekly(value)}
    if isinstance(value, Choice):
        return {"$choice": actions.encode(value.action), "label": encode(value.label, shared)}
    if isinstance(value, dict):
        return {str(k): encode(v, shared) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encode(v, shared) for v in value]
    return value


def _text(value: Text, shared: Shared | None) -> Any:
    if shared is None:
        return {"$text": value.key, "params": encode(dict(value.params))}
    if (known := shared.get(id(value))) is None:
        known = shared[id(value)] = (
            value,
            {"$text": value.key, "params": encode(dict(value.params), shared)},
        )
    return known[1]


def decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "$dt" in value:
            return datetime.fromisoformat(value["$dt"])
        if "$date" in value:
            return date.fromisoformat(value["$date"])
        if "$text" in value:
            return Text(value["$text"], decode(value["params"]))
        if "$weekly" in value:
            return _hours(value["$weekly"])
        if "$choice" in value:
            return _choice(value)
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def _weekly(hours: WeeklyHours) -> dict[str, Any]:
    return {
        "days": list(hours.days),
        "starts": hours.starts.isoformat(),
        "ends": hours.ends.isoformat(),
        "zone": hours.zone,
        "at": hours.at.isoformat(),
    }


def _hours(value: dict[str, Any]) -> WeeklyHours:
    return WeeklyHours(
        tuple(value["days"]),
        time.fromisoformat(value["starts"]),
        time.fromisoformat(value["ends"]),
        value["zone"],
        datetime.fromisoformat(value["at"]),
    )


def _choice(value: dict[str, Any]) -> Choice | None:
    """None for a stored choice no release can run any more (never written by us)."""
    action = actions.read(value["$choice"])
    if action is None:
        log.warning("stored choice %r is unreadable: left out", str(value["$choice"])[:100])
        return None
    return Choice(decode(value["label"]), action)


def choices(value: Any) -> tuple[Choice, ...]:
    """A notification's stored choices, leaving out any that cannot be read."""
    decoded = decode(value) if isinstance(value, list) else []
    return tuple(choice for choice in decoded if isinstance(choice, Choice))
