"""Fragments of hostile or tricky text every inbound surface's fuzz test mixes into what it
sends: pings, control and bidi characters, non-ASCII digits, the core's own separators, and
words that steer the parsers. Each surface adds its platform's own (mention syntaxes …)."""

from __future__ import annotations

TEXT = [
    "@everyone",
    "@here",
    "<!channel>",
    "\x00",
    "\u202e",
    "²",
    "٣",
    "|",
    " -- ",
    "\n",
    "2026-11-26 09:00",
    "2026-11-26",
    "09:00-12:00",
    "lun",
    "absence",
    "1",
    "#1",
    "999999999999999999999",
    "en",
    "Europe/Paris",
    "{when}",
    "%s",
]
