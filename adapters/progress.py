"""A progress bar on the terminal for long CLI work (a roster of 100,000 rows), drawn on stderr
only when stderr is a terminal: piped or logged output stays clean."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

WIDTH = 30


def terminal_progress(
    stream: TextIO | None = None, every: float = 0.1
) -> Callable[[int, int], None] | None:
    """A `progress(done, total)` that redraws one line at most every `every` seconds (and at
    the end), or None when `stream` (default stderr) is not a terminal."""
    out = stream or sys.stderr
    if not out.isatty():
        return None
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - last[0] < every:
            return
        last[0] = now
        share = done / total if total else 1.0
        filled = round(share * WIDTH)
        bar = "#" * filled + "-" * (WIDTH - filled)
        out.write(f"\r[{bar}] {share:4.0%} {done}/{total}")
        if done >= total:
            out.write("\n")
        out.flush()

    return progress
