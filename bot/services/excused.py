"""Weeks that never count toward disengagement: the mentor's time off or leave, the student's
pause, the school's holidays. The scan flags students on the plain thresholds; this module
looks again at those it flagged and drops what only excused weeks explain: for all of them at
once, their periods, sessions and check-ins read in a few statements and the rules applied in
memory (a school's worth of flagged students costs what a handful does)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import calendar
from bot.domain import Checkin, StudentActivity
from bot.ports import UnitOfWork
from bot.replies import Text
from bot.settings import Settings, parse_holidays

Period = tuple[datetime, datetime]
LOOKBACK = timedelta(weeks=26)  # excused time older than this never matters
CHECKINS, NO_BOOKING = "disengagement.checkins", "disengagement.no_booking"


def holidays(settings: Settings) -> list[Period]:
    """The school's holidays as instants, from local midnight to the midnight after."""
    zone = ZoneInfo(settings.timezone)
    return [calendar.day_bounds(first, last, zone) for first, last in _days(settings)]


def _days(settings: Settings) -> list[tuple[date, date]]:
    return parse_holidays(settings.school_holidays)


def in_holidays(now: datetime, settings: Settings) -> bool:
    return any(start <= now < end for start, end in holidays(settings))


def excused(
    uow: UnitOfWork, student_ids: Sequence[int], now: datetime, settings: Settings
) -> dict[int, list[Period]]:
    """Each student's excused periods of the last months, clipped to now: their mentor's time
    off and leave, their own pauses, the school's holidays (three statements for all)."""
    since = now - LOOKBACK
    mentors = uow.mentorships.mentors_of(student_ids)
    off: dict[int, list[Period]] = defaultdict(list)
    for o in uow.availability.time_off_of(set(mentors.values()), since):
        off[o.person_id].append((o.starts_at, o.ends_at))
    paused: dict[int, list[Period]] = defaultdict(list)
    for p in uow.pauses.overlapping([*student_ids, *mentors.values()], since):
        paused[p.person_id].append((p.starts_at, p.ends_at or now))
    school = holidays(settings)
    found = {}
    for student in student_ids:
        mentor = mentors.get(student)
        mentor_periods = [*off[mentor], *paused[mentor]] if mentor is not None else []
        periods = [*mentor_periods, *paused[student], *school]
        found[student] = [(max(a, since), min(b, now)) for a, b in periods if a < now and b > since]
    return found


def _excused_within(periods: list[Period], start: datetime, end: datetime) -> timedelta:
    """How much of [start, end) the periods cover (overlaps counted once)."""
    covered, cursor = timedelta(), start
    for a, b in sorted(periods):
        a, b = max(a, cursor), min(b, end)
        if b > a:
            covered += b - a
            cursor = b
    return covered


def counted_since(now: datetime, span: timedelta, periods: list[Period]) -> datetime:
    """Where the last `span` of counted (not excused) time before `now` begins."""
    start = now - span
    for _ in range(20):  # each step adds the excused time the previous one uncovered
        widened = now - span - _excused_within(periods, start, now)
        if widened == start:
            break
        start = widened
    return start


Flagged = list[tuple[StudentActivity, list[Text]]]


def reconsidered(
    uow: UnitOfWork, flagged: Flagged, now: datetime, settings: Settings
) -> list[tuple[int, list[Text]]]:
    """Each flagged student with the reasons that still hold once excused weeks are left out
    (none: not flagged any more), all at once in at most five statements."""
    periods = excused(uow, [a.student_id for a, _ in flagged], now, settings) if flagged else {}
    excusable = [(a, r) for a, r in flagged if periods[a.student_id]]
    last_ends, recent = _evidence(uow, excusable, periods, now, settings)
    decided = []
    for activity, reasons in flagged:
        student = activity.student_id
        if periods[student]:
            reasons = _kept(activity, reasons, periods[student], last_ends, recent, now, settings)
        decided.append((student, reasons))
    return decided


def _evidence(
    uow: UnitOfWork,
    flagged: Flagged,
    periods: dict[int, list[Period]],
    now: datetime,
    settings: Settings,
) -> tuple[dict[int, datetime], dict[int, list[Checkin]]]:
    """What the excused students' reasons are checked against: the last end of a counted
    session since the earliest window any of them needs, and their recent check-ins."""
    quiet = timedelta(weeks=settings.disengagement_weeks_without_booking)
    starts = {
        a.student_id: counted_since(now, quiet, periods[a.student_id])
        for a, reasons in flagged
        if any(r.key == NO_BOOKING for r in reasons)
    }
    last_ends = uow.sessions.last_counted_ends(starts, min(starts.values()), now) if starts else {}
    missing = [a.student_id for a, r in flagged if any(x.key == CHECKINS for x in r)]
    limit = settings.disengagement_missed_checkins + 8
    recent = uow.checkins.recent_of(missing, limit=limit) if missing else {}
    return last_ends, recent


def _kept(
    activity: StudentActivity,
    reasons: list[Text],
    periods: list[Period],
    last_ends: dict[int, datetime],
    recent: dict[int, list[Checkin]],
    now: datetime,
    settings: Settings,
) -> list[Text]:
    kept = []
    for reason in reasons:
        if reason.key == NO_BOOKING and _active_in_counted_weeks(
            activity, now, settings, periods, last_ends.get(activity.student_id)
        ):
            continue
        if reason.key == CHECKINS:
            missed = _missed(recent.get(activity.student_id, []), now, periods)
            if missed < settings.disengagement_missed_checkins:
                continue
            reason = Text(reason.key, {**reason.params, "count": missed})
        kept.append(reason)
    return kept


def _active_in_counted_weeks(
    activity: StudentActivity,
    now: datetime,
    settings: Settings,
    periods: list[Period],
    last_end: datetime | None,
) -> bool:
    """A session in the last counted weeks (the window widened by the excused time in it), or
    too few counted weeks in the programme yet to say."""
    quiet = timedelta(weeks=settings.disengagement_weeks_without_booking)
    start = counted_since(now, quiet, periods)
    if activity.joined_at > start:
        return True  # not in the programme for that many counted weeks yet
    return last_end is not None and last_end > start  # a counted session touched the window


def _missed(recent: list[Checkin], now: datetime, periods: list[Period]) -> int:
    """Consecutive unanswered check-ins past their week, skipping excused weeks."""
    count = 0
    for checkin in recent:
        if checkin.sent_at is None or checkin.sent_at > now - timedelta(days=7):
            continue
        if _excused_week(checkin, periods):
            continue
        if checkin.answered_at is not None:
            break
        count += 1
    return count


def _excused_week(checkin: Checkin, periods: list[Period]) -> bool:
    assert checkin.sent_at is not None
    week = (checkin.sent_at, checkin.sent_at + timedelta(days=7))
    return _excused_within(periods, *week) > timedelta(0)
