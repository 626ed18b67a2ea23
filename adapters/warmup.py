"""What a serving process defers past its start, loaded on a thread of its own once every part
runs: the commands' handlers (their services, imported on a command's first use otherwise) and
the catalogues of every language (parsed by the first reply otherwise).

It starts after the parts, not beside them: two threads importing intersecting module graphs
at once can meet in a circular import, which Python then reports as a deadlock. A command that
comes in before it is done still works, and waits for no more than its own handler's import.

It gives way to the first commands: the programme's catalogue first (every reply needs it),
then one handler at a time with a pause after each, the other languages last. Run flat out, it
took half the interpreter from a student's first `/book` sent as the port opened (that answer
came 5-7 % later than when everything was imported before the port opened; bench/startup.py).
"""

from __future__ import annotations

import logging
import threading
import time

from bot.i18n import LOCALES, entries
from bot.registry import REGISTRY

log = logging.getLogger(__name__)
PAUSE = 0.005  # seconds after each handler's import: a few ms of work each


class Warmup:
    """`locale`: the programme's, whose catalogue most replies need, parsed before the others."""

    def __init__(self, locale: str) -> None:
        self.locales = sorted(LOCALES, key=lambda name: name != locale)
        self.done = threading.Event()
        self.ok = False  # everything loaded (a failure is logged; the commands then say more)
        self._thread = threading.Thread(target=self._run, name="warmup", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        started = time.perf_counter()
        try:
            entries(self.locales[0])
            REGISTRY.warm(pause=PAUSE)
            for locale in self.locales[1:]:
                entries(locale)
            self.ok = True
        except Exception:
            log.exception("the warm-up failed")
        finally:
            self.done.set()
        log.info("warmed up in %.3f s", time.perf_counter() - started)
