"""What people type, made safe to keep: control characters out, numbers in ASCII only.

Every text reaches the core through `clean` once (commands, forms, DMs, roster and path files), so
no service has to wonder whether a NUL byte (refused by PostgreSQL, kept by SQLite) or a terminal
escape can be stored. Numbers go through `ascii_int`, because `str.isdigit()` is true for `²` and
`int()` reads Arabic-Indic digits: a session number must look the same to everyone who reads it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.safety import neutralise

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


def inert(params: Mapping[str, object]) -> dict[str, object]:
    """Parameters of a reply with every string made unable to ping (`@everyone`, `<!channel>`).

    A usage error quotes what was typed back to the person; a chat adapter then shows it.
    """
    return {name: neutralise(v) if isinstance(v, str) else v for name, v in params.items()}


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode_file(data: bytes) -> str:
    """An uploaded file's text, cleaned, whatever a spreadsheet saved it as.

    A byte-order mark decides (UTF-8, UTF-16, UTF-32); then UTF-16 without one (every other
    byte NUL); then UTF-8; then Windows-1252 and Latin-1, which French Excel still writes.
    Latin-1 reads any bytes, so this never fails: a binary file comes out as text whose
    columns are wrong, and the import says which ones are missing.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return clean(data.decode(encoding, errors="replace").lstrip("\ufeff"))
    head = data[:4096]
    if len(head) >= 2 and head.count(0) * 3 >= len(head):
        odd_nuls = head[1::2].count(0)
        encoding = "utf-16-le" if odd_nuls > head[0::2].count(0) else "utf-16-be"
        return clean(data.decode(encoding, errors="replace"))
    for encoding in ("utf-8", "cp1252"):
        try:
            return clean(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    return clean(data.decode("latin-1"))
