"""Rate limits the deliverers keep *before* a platform has to say 429.

A `Limit` is "at most `calls` in any `per` seconds", kept as a sliding log of the instants calls
were let through: the strictest reading of a platform's limit, so a platform counting in fixed
windows or token buckets never sees more than it allows. A call names every limit it falls
under (Discord's global 50/s; Slack's method tier, its workspace-wide posting rate and the
channel's 1/s) and goes out only when all of them have room; the instant is recorded in all of
them at once, under one lock, so no limit is charged for a call that then waited on another.

A 429 still happens (another process of the same bot, a limit we did not know): `Pauses` hold
every call under what it named until the platform's `Retry-After` has passed, by the clock the
outbox reschedules with; the deliverer turns a pause into `DeliveryFailed(retry_after=…)`
without calling the platform, so the message waits in the outbox, not in a thread.

Threads wait with `acquire`, coroutines (discord.py's event loop) with `acquire_async`; a wait
longer than `max_wait` (a per-minute tier spent) is not slept on but raised as `TooLong`.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

# Our instant and the platform's differ by the request's way there: a margin so a call let
# through exactly `per` seconds after another is not seen a little early by the platform.
LEEWAY = 0.02
PRUNE_ABOVE = 1024  # idle per-channel windows are forgotten past this many


@dataclass(frozen=True)
class Limit:
    calls: int
    per: float  # seconds

    def __post_init__(self) -> None:
        if self.calls < 1 or self.per <= 0:
            raise ValueError(f"a limit needs calls >= 1 and per > 0, not {self}")

    @classmethod
    def per_second(cls, rate: float) -> Limit:
        """50 → 50 calls per second; 0.5 → 1 call per 2 seconds."""
        calls = max(1, round(rate))
        return cls(calls, calls / rate)


class TooLong(Exception):
    """The limits have no room for longer than the caller would sleep."""

    def __init__(self, wait: float) -> None:
        super().__init__(f"rate limit: no room for {wait:.1f} s")
        self.wait = wait


class _Window:
    """The instants calls under one limit went out, oldest first, at most `calls` of them."""

    def __init__(self, limit: Limit) -> None:
        self.limit = limit
        self.sent: deque[float] = deque(maxlen=limit.calls)

    def free_at(self, leeway: float) -> float:
        """The first instant a call fits (the monotonic clock)."""
        full = len(self.sent) == self.limit.calls
        return self.sent[0] + self.limit.per + leeway if full else 0.0

    def idle(self, now: float) -> bool:
        return not self.sent or now - self.sent[-1] > self.limit.per


class RateLimiter:
    """Named limits shared by every thread and coroutine of one deliverer."""

    def __init__(
        self, *, leeway: float = LEEWAY, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.leeway = leeway
        self.clock = clock
        self.waited = 0.0  # seconds spent waiting, all callers together (benchmarks show it)
        self._windows: dict[str, _Window] = {}
        self._lock = threading.Lock()

    def try_acquire(self, limits: dict[str, Limit]) -> float:
        """0.0: the call may go now (and is counted); else how long to wait before asking again."""
        with self._lock:
            now = self.clock()
            windows = [self._window(name, limit) for name, limit in limits.items()]
            free_at = max((w.free_at(self.leeway) for w in windows), default=0.0)
            if free_at > now:
                return free_at - now
            for window in windows:
                window.sent.append(now)
            return 0.0

    def acquire(self, limits: dict[str, Limit], max_wait: float = float("inf")) -> None:
        while (wait := self.try_acquire(limits)) > 0:
            time.sleep(self._count(wait, max_wait))

    async def acquire_async(self, limits: dict[str, Limit], max_wait: float = float("inf")) -> None:
        while (wait := self.try_acquire(limits)) > 0:
            await asyncio.sleep(self._count(wait, max_wait))

    def _window(self, name: str, limit: Limit) -> _Window:
        window = self._windows.get(name)
        if window is None or window.limit != limit:
            if len(self._windows) >= PRUNE_ABOVE:
                self._prune()
            window = self._windows[name] = _Window(limit)
        return window

    def _prune(self) -> None:
        now = self.clock()
        for name in [n for n, w in self._windows.items() if w.idle(now)]:
            del self._windows[name]

    def _count(self, wait: float, max_wait: float) -> float:
        if wait > max_wait:
            raise TooLong(wait)
        with self._lock:
            self.waited += wait
        return wait


class Pauses:
    """What a 429 named, held until its `Retry-After` is over (by the outbox's clock)."""

    def __init__(self, now: Callable[[], datetime]) -> None:
        self.now = now
        self.count = 0  # 429s seen (benchmarks and tests show it)
        self._until: dict[str, datetime] = {}
        self._lock = threading.Lock()

    def pause(self, names: list[str], seconds: float) -> None:
        until = self.now() + timedelta(seconds=seconds)
        with self._lock:
            self.count += 1
            for name in names:
                self._until[name] = max(until, self._until.get(name, until))

    def remaining(self, names: list[str]) -> float:
        """Seconds until every name is free again (0.0: go)."""
        now = self.now()
        with self._lock:
            ends = [self._until[n] for n in names if n in self._until]
        return max([(end - now).total_seconds() for end in ends if end > now], default=0.0)
