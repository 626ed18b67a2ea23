"""Weeks that never count toward disengagement: the mentor's time off or leave, the student's
pause, the school's holidays. The scan flags students on the plain thresholds; this module
looks again at the few it flagged and drops what only excused weeks explain."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import calendar
from bot.domain import Checkin, SessionKind, SessionStatus, StudentActivity
from bot.ports import UnitOfWork
from bot.replies import Text
from bot.settings import Settings, parse_holidays

Period = tuple[datetime, datetime]
LOOKBACK = timedelta(weeks=26)  # excused time older than this never matters


def holidays(settings: Settings) -> list[Period]:
    """The school's holidays as instants, from local midnight to the midnight after."""
    zone = ZoneInfo(settings.timezone)
    return [calendar.day_bounds(first, last, zone) for first, last in _days(settings)]


def _days(settings: Settings) -> list[tuple[date, date]]:
    return parse_holidays(settings.school_holidays)


def in_holidays(now: datetime, settings: Settings) -> bool:
    return any(start <= now < end for start, end in holidays(settings))


def excused(uow: UnitOfWork, student_id: int, now: datetime, settings: Settings) -> list[Period]:
    """The student's excused periods of the last months, clipped to now."""
    since = now - LOOKBACK
    mentorship = uow.mentorships.for_student(student_id)
    mentor = [mentorship.mentor_id] if mentorship else []
    periods = [
        (o.starts_at, o.ends_at) for m in mentor for o in uow.availability.time_off(m, since)
    ]
    pauses = uow.pauses.overlapping([student_id, *mentor], since)
    periods += [(p.starts_at, p.ends_at or now) for p in pauses]
    periods += holidays(settings)
    return [(max(a, since), min(b, now)) for a, b in periods if a < now and b > since]


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


def reconsidered(
    uow: UnitOfWork,
    activity: StudentActivity,
    reasons: list[Text],
    now: datetime,
    settings: Settings,
) -> list[Text]:
    """The reasons that still hold once excused weeks are left out."""
    periods = excused(uow, activity.student_id, now, settings)
    if not periods:
        return reasons
    kept = []
    for reason in reasons:
        if reason.key == "disengagement.no_booking" and _active_in_counted_weeks(
            uow, activity, now, settings, periods
        ):
            continue
        if reason.key == "disengagement.checkins":
            missed = _missed(uow, activity.student_id, now, settings, periods)
            if missed < settings.disengagement_missed_checkins:
                continue
            reason = Text(reason.key, {**reason.params, "count": missed})
        kept.append(reason)
    return kept


def _active_in_counted_weeks(
    uow: UnitOfWork,
    activity: StudentActivity,
    now: datetime,
    settings: Settings,
    periods: list[Period],
) -> bool:
    """A session in the last counted weeks (the window widened by the excused time in it), or
    too few counted weeks in the programme yet to say."""
    quiet = timedelta(weeks=settings.disengagement_weeks_without_booking)
    start = counted_since(now, quiet, periods)
    if activity.joined_at > start:
        return True  # not in the programme for that many counted weeks yet
    sessions = uow.sessions.overlapping([activity.student_id], start, now)
    return any(
        s.student_id == activity.student_id
        and s.kind == SessionKind.MENTORING
        and (s.status != SessionStatus.CANCELLED or s.late_cancellation)
        for s in sessions
    )


def _missed(
    uow: UnitOfWork, student_id: int, now: datetime, settings: Settings, periods: list[Period]
) -> int:
    """Consecutive unanswered check-ins past their week, skipping excused weeks."""
    count = 0
    recent = uow.checkins.recent(student_id, limit=settings.disengagement_missed_checkins + 8)
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
