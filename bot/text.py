"""What people type, made safe to keep: control characters out, numbers in ASCII only.

Every text reaches the core through `clean` once (commands, forms, DMs, roster and path files), so
no service has to wonder whether a NUL byte (refused by PostgreSQL, kept by SQLite) or a terminal
escape can be stored. Numbers go through `ascii_int`, because `str.isdigit()` is true for `²` and
`int()` reads Arabic-Indic digits: a session number must look the same to everyone who reads it.
"""

from __future__ import annotations

import re

# C0 and C1 controls except tab and newline, DEL, and lone surrogates (a JSON payload can carry
# `\ud800`, which no database can encode).
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_ASCII_DIGITS = re.compile(r"[0-9]+", re.ASCII)
MAX_DIGITS = 9  # every id and count we read fits an int column; longer is a typo or an attack


def clean(text: str) -> str:
    r"""`text` without control characters; `\r\n` and a lone `\r` become `\n`."""
    return _UNWANTED.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def is_ascii_number(text: str, max_digits: int = MAX_DIGITS) -> bool:
    """Only `0`–`9`, at least one and at most `max_digits`: read the same by everyone."""
    return len(text) <= max_digits and _ASCII_DIGITS.fullmatch(text) is not None


def ascii_int(text: str, max_digits: int = MAX_DIGITS) -> int | None:
    """The number written in ASCII digits, or None (`²`, `٣`, `1.5`, `-1`, empty, too long)."""
    return int(text) if is_ascii_number(text, max_digits) else None
