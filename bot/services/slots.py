"""A host's calendar over a span, read in three queries, and every booking rule checked against
it in memory. One booking and the search for free slots go through the same `check_rules`, so
the slots offered are exactly the ones `/book` accepts (the database constraints still guard the
insert)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from itertools import accumulate
from operator import itemgetter, sub
from zoneinfo import ZoneInfo

from bot import calendar
from bot.calendar import from_micros, micros
from bot.context import Context
from bot.domain import Mentorship, Session, TimeOff, WeeklyAvailability
from bot.errors import UserError
from bot.local_days import days_of
from bot.ports.sessions import Busy
from bot.student_hours import StudentHours


@dataclass(frozen=True)
class Quota:
    """The contract's sessions per week, counted in the student's own weeks."""

    mentorship: Mentorship
    zone: ZoneInfo


@dataclass
class Calendar:
    """What a booking between `host_id` and `student_id` is checked against, over a span."""

    host_id: int
    student_id: int
    rules: list[WeeklyAvailability]
    time_off: list[TimeOff]
    sessions: list[Session]  # the student's, any status, touching the span
    span: tuple[datetime, datetime]
    hours: StudentHours | None = None  # the host's hours for students far away
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))  # the student's clock
    busy: list[Busy] = field(default_factory=list)  # the host's other live sessions, in µs
    _mine: list[Live] = field(init=False)
    _busy_starts: list[int] = field(init=False)
    _busy_reach: list[int] = field(init=False)
    _weeks: dict[str, list[tuple[datetime, datetime]]] = field(init=False)

    def __post_init__(self) -> None:
        host = self.host_id
        self._mine = sorted(
            (s.starts_at, s.ends_at, s.id, self.student_id in pair, host in pair)
            for s in self.sessions
            if s.is_live
            for pair in [(s.student_id, s.host_id)]
        )
        # The host's sessions, the most of a horizon, stay bare integers: their starts, and the
        # furthest end among the first n of them, are what `blocked` bisects.
        self.busy = sorted(self.busy)
        self._busy_starts = list(map(_first, self.busy))
        ends = list(map(_second, self.busy))
        # One host's sessions seldom overlap: by start, their ends are then in order too, each
        # the furthest so far, and the running maximum (a call per session) is not needed.
        self._busy_reach = ends if sorted(ends) == ends else list(accumulate(ends, max))
        # The availability windows of the span, opened once (not again for each candidate).
        self._windows = calendar.windows(self.rules, *self.span)
        self._opens = [opens for opens, _ in self._windows]
        self._weeks = {}  # per zone, the weeks already met, by start

    @cached_property
    def _longest(self) -> int:
        """The longest of the host's sessions, in µs: asked only when one is looked up (a
        search that finds every candidate blocked never does)."""
        return max(map(sub, map(_second, self.busy), self._busy_starts), default=0)

    def week_start(self, instant: datetime, zone: ZoneInfo) -> datetime:
        """`calendar.week_bounds(instant, zone)[0]`, computed once per week met rather than
        once per session or candidate (a search checks hundreds in a handful of weeks)."""
        weeks = self._weeks.setdefault(zone.key, [])
        found = bisect_right(weeks, instant, key=_opening) - 1
        if found >= 0 and weeks[found][0] <= instant < weeks[found][1]:
            return weeks[found][0]
        week = calendar.week_bounds(instant, zone)
        insort(weeks, week, key=_opening)
        return week[0]

    def fits(self, starts_at: datetime, ends_at: datetime) -> bool:
        """`calendar.fits` over the windows computed once: a window holding the slot opened
        at most a day before it (a weekly rule is a part of one day)."""
        if not (self.span[0] <= starts_at and ends_at <= self.span[1]):
            return calendar.fits(self.rules, starts_at, ends_at)
        low = bisect_left(self._opens, starts_at - timedelta(days=1))
        high = bisect_right(self._opens, starts_at)
        return any(ends_at <= closes for _, closes in self._windows[low:high])

    def open_starts(
        self, start: datetime, end: datetime, length: timedelta, buffer: timedelta
    ) -> Iterator[datetime]:
        """Back-to-back slots of `length` from each window's opening (over the windows computed
        once), starting from `start` to `end` (within the span), in time order, less those the
        host's other sessions block (`blocked`'s bisection): in microseconds, so that the many
        candidates a crowded horizon refuses cost no datetime each."""
        first, last = micros(start), micros(end)
        step, gap = length // _MICROSECOND, buffer // _MICROSECOND
        starts, reach, lead = self._busy_starts, self._busy_reach, step + gap
        for opens, closes in self._windows:  # by opening
            if opens >= end:
                break
            # Every slot of the window that ends by its close: the last starts `step` before.
            for slot in range(micros(opens), micros(closes) - step + 1, step):
                if first <= slot <= last:
                    before = bisect_left(starts, slot + lead)
                    if not before or reach[before - 1] <= slot - gap:
                        yield from_micros(slot)

    def live_overlapping(self, starts_at: datetime, ends_at: datetime) -> list[Live]:
        """Live sessions touching [starts_at, ends_at), by start (the host's found by a
        bisection, not a scan, and only those made datetimes)."""
        low = bisect_left(self._busy_starts, micros(starts_at) - self._longest)
        high = bisect_left(self._busy_starts, micros(ends_at))
        found = [
            (from_micros(start), from_micros(end), n, False, True)
            for start, end, n in self.busy[low:high]
        ]
        found += (live for live in self._mine if live[0] < ends_at)
        return sorted(live for live in found if live[1] > starts_at)

    def blocked(
        self, starts_at: datetime, ends_at: datetime, moving: Session | None, buffer: timedelta
    ) -> bool:
        """Whether `_overlap_refusal` refuses [starts_at, ends_at), as a yes or no: a live
        session blocks its own span, widened by `buffer` on each side when it is the host's.
        The host's are found in one bisection (`moving`, one of the student's sessions, is
        never among them); a search asks this of every candidate, the refusal says why."""
        before = bisect_left(self._busy_starts, micros(ends_at + buffer))  # opening before
        if before and self._busy_reach[before - 1] > micros(starts_at - buffer):
            return True
        moved = moving.id if moving is not None else None
        return any(
            start - (buffer if hosts else _NONE) < ends_at
            and starts_at < end + (buffer if hosts else _NONE)
            for start, end, n, _, hosts in self._mine
            if n != moved
        )

    def quota_used(self, quota: Quota, moving: Session | None) -> Counter[datetime]:
        """The student's sessions counting toward the quota, per week (its Monday, in UTC)."""
        return Counter(
            self.week_start(s.starts_at, quota.zone)
            for s in self.sessions
            if s.counts_toward_quota()
            and s.student_id == self.student_id
            and (moving is None or s.id != moving.id)
        )


# A live session for the overlap rule: start, end, id, whether it is the student's and whether
# it is the host's (a host's buffer applies to the second).
Live = tuple[datetime, datetime, int, bool, bool]
_NONE = timedelta(0)
_MICROSECOND = timedelta(microseconds=1)


_first, _second = itemgetter(0), itemgetter(1)


def _opening(week: tuple[datetime, datetime]) -> datetime:
    return week[0]


def load_calendar(
    ctx: Context, host_id: int, student_id: int, start: datetime, end: datetime, zone: ZoneInfo
) -> Calendar:
    """Availability, time off and sessions for the slots lying from `start` to `end`: the
    host's sessions touching them (or their buffer), the student's over whole weeks of `zone`
    so that the weekly quota can be counted too."""
    first_week, _ = calendar.week_bounds(start, zone)
    _, last_week = calendar.week_bounds(end, zone)
    start, end = start - buffer_of(ctx), end + buffer_of(ctx)  # the host's sessions just beyond
    availability = ctx.uow.availability
    rules, hours = availability.weekly_and_hours(host_id)
    weeks = min(start, first_week), max(end, last_week)
    mine, busy = ctx.uow.sessions.calendar(host_id, student_id, (start, end), weeks)
    time_off = availability.time_off(host_id, since=start)
    return Calendar(host_id, student_id, rules, time_off, mine, (start, end), hours, zone, busy)


def check_rules(
    ctx: Context,
    cal: Calendar,
    starts_at: datetime,
    length: timedelta,
    moving: Session | None = None,
    quota: Quota | None = None,
    used: Counter[datetime] | None = None,
) -> datetime:
    """Notice, horizon, availability, the host's hours for the student, time off, quota,
    overlaps, in that order; returns the end, or raises the first rule refused.

    `used` is `cal.quota_used(quota, moving)`, passed in when many starts are checked."""
    refused = refusal(ctx, cal, starts_at, length, moving, quota, used)
    if refused is not None:
        raise refused
    return starts_at + length


def refusal(
    ctx: Context,
    cal: Calendar,
    starts_at: datetime,
    length: timedelta,
    moving: Session | None = None,
    quota: Quota | None = None,
    used: Counter[datetime] | None = None,
) -> UserError | None:
    """The rules of `check_rules`, the first refused returned rather than raised: a search
    refuses most of its candidates, and raising costs more than checking."""
    ends_at = starts_at + length
    settings = ctx.settings
    if starts_at < ctx.now + timedelta(hours=settings.book_min_notice_hours):
        return UserError("booking.too_soon", hours=settings.book_min_notice_hours)
    if starts_at > ctx.now + timedelta(days=settings.booking_horizon_days):
        return UserError("booking.too_far", days=settings.booking_horizon_days)
    if not cal.fits(starts_at, ends_at):
        return UserError("booking.outside_availability", minutes=int(length.total_seconds() // 60))
    if cal.hours is not None and not cal.hours.admits(starts_at, ends_at, cal.zone):
        return UserError(
            "hours.outside",
            earliest=cal.hours.earliest,
            latest=cal.hours.latest,
            zone=cal.zone.key,
        )
    for off in cal.time_off:
        if off.starts_at < ends_at and starts_at < off.ends_at:
            return UserError("booking.time_off", **days_of(off))  # the reader's days
    if quota is not None:
        counted = used if used is not None else cal.quota_used(quota, moving)
        if (refused := _quota_refusal(ctx, cal, quota, starts_at, counted)) is not None:
            return refused
    return _overlap_refusal(cal, starts_at, ends_at, moving, buffer_of(ctx))


def buffer_of(ctx: Context) -> timedelta:
    """Time kept free between two sessions of one host (MENTORBOT_BUFFER_MINUTES)."""
    return timedelta(minutes=ctx.settings.buffer_minutes)


def _quota_refusal(
    ctx: Context, cal: Calendar, quota: Quota, starts_at: datetime, used: Counter[datetime]
) -> UserError | None:
    per_week = quota.mentorship.sessions_per_week
    if used[cal.week_start(starts_at, quota.zone)] >= per_week:
        return UserError(
            "booking.quota_reached", per_week=per_week, url=ctx.settings.advisor_contact_url
        )
    return None


def _overlap_refusal(
    cal: Calendar,
    starts_at: datetime,
    ends_at: datetime,
    moving: Session | None,
    buffer: timedelta = timedelta(0),
) -> UserError | None:
    """No overlap with the student's or the host's sessions, and the host's keep `buffer`
    free on each side: the same rule, widened for the host."""
    for start, end, n, students, hosts in cal.live_overlapping(
        starts_at - buffer, ends_at + buffer
    ):
        if moving is not None and n == moving.id:
            continue
        overlaps = start < ends_at and starts_at < end
        if overlaps and students:
            return UserError("booking.student_busy", when=start)
        if overlaps:
            return UserError("booking.slot_taken")
        if hosts:
            return UserError("booking.buffer_needed", minutes=int(buffer.total_seconds() // 60))
    return None
