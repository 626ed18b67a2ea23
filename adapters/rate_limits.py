"""Rate limits the deliverers keep *before* a platform has to say 429.

A `Limit` is "at most `calls` in any `per` seconds", the strictest reading of a platform's
limit, so a platform counting in fixed windows or token buckets never sees more than it allows.
A call counts against a limit from the instant it is let through until `per` seconds after its
answer came back: the request reached the platform somewhere in between, so however late it
got there (a busy machine, a slow connection) the next call in that slot arrives `per` seconds
after it at least. At 50 calls/s and 50 ms a call, that is 47.6 calls/s.

A call names every limit it falls under (Discord's global 50/s; Slack's method tier, its
workspace-wide posting rate and the channel's 1/s) and goes out only when all of them have
room, taken in all of them at once under one lock, so no limit is charged for a call that then
waited on another.

A 429 still happens (another process of the same bot, a limit we did not know): `Pauses` hold
every call under what it named until the platform's `Retry-After` has passed, by the clock the
outbox reschedules with; the deliverer turns a pause into `DeliveryFailed(retry_after=…)`
without calling the platform, so the message waits in the outbox, not in a thread.

Threads use `call`, coroutines (discord.py's event loop) `call_async`; a wait longer than
`max_wait` (a per-minute tier spent) is not slept on but raised as `TooLong`.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

INF = float("inf")
POLL = 0.01  # seconds between looks while every slot is taken by calls still in flight
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
    """One limit's calls: those in flight, and when the last `calls` answers came back."""

    def __init__(self, limit: Limit) -> None:
        self.limit = limit
        self.answered: deque[float] = deque(maxlen=limit.calls)  # oldest first
        self.in_flight = 0

    def free_at(self, now: float) -> float:
        """The first instant a call fits (the monotonic clock); `inf`: when one in flight ends."""
        per = self.limit.per
        recent = [at for at in self.answered if at > now - per]
        over = self.in_flight + len(recent) - self.limit.calls  # slots to free, less one
        if over < 0:
            return now
        return recent[over] + per if over < len(recent) else float("inf")

    def idle(self, now: float) -> bool:
        recent = self.answered and now - self.answered[-1] <= self.limit.per
        return not self.in_flight and not recent


class RateLimiter:
    """Named limits shared by every thread and coroutine of one deliverer."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.waited = 0.0  # seconds spent waiting, all callers together (benchmarks show it)
        self._windows: dict[str, _Window] = {}
        self._lock = threading.Lock()

    def try_acquire(self, limits: dict[str, Limit]) -> float:
        """0.0: the call may go now (it is counted until `release`); else seconds to wait."""
        with self._lock:
            now = self.clock()
            windows = [self._window(name, limit) for name, limit in limits.items()]
            free_at = max((w.free_at(now) for w in windows), default=now)
            if free_at == INF:
                return POLL
            if free_at > now:
                return free_at - now
            for window in windows:
                window.in_flight += 1
            return 0.0

    def release(self, limits: dict[str, Limit]) -> None:
        """The call's answer came back (or it failed): its slot frees `per` seconds from now."""
        with self._lock:
            now = self.clock()
            for name, limit in limits.items():
                window = self._window(name, limit)
                window.in_flight = max(0, window.in_flight - 1)
                window.answered.append(now)

    @contextmanager
    def call(self, limits: dict[str, Limit], max_wait: float = INF) -> Iterator[None]:
        while (wait := self.try_acquire(limits)) > 0:
            time.sleep(self._count(wait, max_wait))
        try:
            yield
        finally:
            self.release(limits)

    @asynccontextmanager
    async def call_async(
        self, limits: dict[str, Limit], max_wait: float = INF
    ) -> AsyncIterator[None]:
        while (wait := self.try_acquire(limits)) > 0:
            await asyncio.sleep(self._count(wait, max_wait))
        try:
            yield
        finally:
            self.release(limits)

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
