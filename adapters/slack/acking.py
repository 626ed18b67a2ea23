"""Requests being acknowledged in this process: the work after acks lets them finish first.

On a small machine the work after an ack (a transaction, an answer to render and send) and the
acks share the cores and the GIL: a worker that starts a command while acks are pending takes
the GIL from them for its whole command. With 20 clients mentorbot's acks took 1.2-1.3x a
bare Bolt app's, and 0.8x with no work after them (bench/slack_ack.py). So a worker waits, before
each piece of work, until no request is being acknowledged, at most `WAIT`: a steady stream of
acks slows the work, never stops it, and the work queued meanwhile runs right after the acks.
(targets.Background waits only while its queue is less than half full: past that, the work
catches up first, or people would be told "busy" sooner.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable

WAIT = 0.03  # seconds a piece of work waits at most for the pending acks


class Acking:
    def __init__(self, wait: float = WAIT) -> None:
        self.wait = wait
        self._pending = 0
        self._lock = threading.Lock()
        self._quiet = threading.Event()
        self._quiet.set()

    def begin(self) -> Callable[[], None]:
        """One more request being acknowledged; the function returned ends it (once)."""
        with self._lock:
            self._pending += 1
            self._quiet.clear()
        ended = False

        def end() -> None:
            nonlocal ended
            with self._lock:
                if ended:
                    return
                ended = True
                self._pending -= 1
                if not self._pending:
                    self._quiet.set()

        return end

    @property
    def pending(self) -> int:
        with self._lock:
            return self._pending

    def wait_quiet(self) -> bool:
        """Until no request is being acknowledged (True), or `wait` seconds (False)."""
        return self._quiet.wait(self.wait)


ACKING = Acking()  # the process's: its acks share one GIL, whichever server received them
