"""French typography for every French message: narrow no-break spaces (U+202F) where French puts
a thin space, applied once to the catalogue's templates so every renderer (Slack, Discord, the
console) shows the same text and nothing a person typed, no URL, time or command is ever touched."""

from __future__ import annotations

import re
from collections.abc import Mapping

NARROW = "\u202f"
# A space (or none after a word, or a no-break space) before ; ! ? — but only where the sign ends
# a word: `https://`, `10:00`, `?page=2`, `:emoji:` and `/book 2026-12-01 10:00` have no space
# before the sign or a letter right after it, so they never match.
_BEFORE_SIGN = re.compile(r"(?<=\S)[ \u00a0]?([;!?])(?=[\s*_~)\]»\"'.,!?]|$)")
# The colon needs a space before it in the template: `Note:` / `10:00` / `https:` stay as written.
_BEFORE_COLON = re.compile(r"(?<=\S)[ \u00a0]:(?=[\s*_~)\]»\"'.,]|$)")
_AFTER_OPENING = re.compile(r"«[ \u00a0\u202f]?")
_BEFORE_CLOSING = re.compile(r"[ \u00a0\u202f]?»")


def french(text: str) -> str:
    """One template in French typography; applying it twice changes nothing."""
    text = _BEFORE_SIGN.sub(lambda m: _spaced(m, m[1]), text)
    text = _BEFORE_COLON.sub(NARROW + ":", text)
    text = _AFTER_OPENING.sub("«" + NARROW, text)
    return _BEFORE_CLOSING.sub(NARROW + "»", text)


def _spaced(match: re.Match[str], sign: str) -> str:
    # `?!`, `!!`: one thin space before the first sign only.
    before = match.string[match.start() - 1] if match.start() else ""
    return sign if before in "!?" + NARROW and match[0] == sign else NARROW + sign


# `de`/`que` right before a placeholder, in a French template: elided before a vowel.
_ELIDABLE = re.compile(r"\b([dD]e|[qQ]ue) \{(\w+)\}")
_VOWELS = "aeiouyàâäéèêëîïôöùûüœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆ"


def elide(template: str, params: Mapping[str, object]) -> str:
    """`Parcours de {name}` -> `Parcours d’{name}` when the name (a text parameter) starts with
    a vowel: `Parcours d’Eve`, `Parcours de Léa`. A mute h is not guessed (`de Hugo` stays)."""

    def one(match: re.Match[str]) -> str:
        value = params.get(match[2])
        if isinstance(value, str) and value[:1] in _VOWELS and value[:1]:
            return f"{match[1][:-1]}’{{{match[2]}}}"
        return match[0]

    return _ELIDABLE.sub(one, template)
