"""The free-slot search's shortcut and the overlap rule agree: whatever the host's and the
student's sessions (any status, any length, a buffer or none, a session being moved), the
calendar's bisection blocks exactly the slots the rule refuses, and the rule gives the reason
the scan of every session gives, the earliest session first. The calendar's query hands the
student's sessions whole and only the host's other live ones as bare intervals, on both
databases."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import insert

from bot.calendar import from_micros, micros
from bot.domain import Session, SessionKind, SessionStatus, WeeklyAvailability
from bot.errors import UserError
from bot.services.slots import Calendar, _overlap_refusal
from storage.database import Database
from storage.models import SessionRow
from storage.models.base import as_utc

HOST, STUDENT, OTHER_HOST, OTHER_STUDENT = 1, 2, 3, 4
DAY = datetime(2026, 11, 30, 8, tzinfo=UTC)
SPAN = (DAY - timedelta(hours=12), DAY + timedelta(hours=24))
NAMES = ("host", "student", "other.host", "other.student")
QUARTERS = st.integers(0, 40)  # a start, in quarters of an hour after 08:00 UTC

# Who takes part: the host with another student (the host's other sessions), the student with
# the host, the student with another host, or the student hosting someone (a validator too).
PAIRS = [(OTHER_STUDENT, HOST), (STUDENT, HOST), (STUDENT, OTHER_HOST), (OTHER_STUDENT, STUDENT)]
sessions = st.lists(
    st.tuples(
        st.sampled_from(PAIRS),
        QUARTERS,
        st.integers(1, 12),  # length, in quarters
        st.sampled_from([*[SessionStatus.BOOKED] * 3, *SessionStatus]),
    ),
    max_size=12,
)
# Every slot of these lengths starting on a five-minute step across the sessions: each edge
# of a session and of its buffer is met exactly, and from both sides.
SWEEP = [DAY - timedelta(hours=1) + timedelta(minutes=5 * n) for n in range(13 * 12)]
LENGTHS = [timedelta(minutes=m) for m in (5, 15, 40)]


def _sessions(drawn: list[tuple[tuple[int, int], int, int, SessionStatus]]) -> list[Session]:
    return [
        Session(
            n,
            student,
            host,
            SessionKind.MENTORING,
            DAY + timedelta(minutes=15 * start),
            DAY + timedelta(minutes=15 * (start + length)),
            status,
        )
        for n, ((student, host), start, length, status) in enumerate(drawn, start=1)
    ]


def _split(every: list[Session]) -> Calendar:
    """As `SessionsRepository.calendar` hands them over."""
    mine = [s for s in every if STUDENT in (s.student_id, s.host_id)]
    busy = [
        (micros(s.starts_at), micros(s.ends_at), s.id) for s in every if s not in mine and s.is_live
    ]
    return Calendar(HOST, STUDENT, [], [], mine, SPAN, busy=busy)


def _scan(
    every: list[Session],
    starts_at: datetime,
    ends_at: datetime,
    moving: Session | None,
    buffer: timedelta,
) -> str | None:
    """The rule, stated over every session in time order (the search before its shortcut)."""
    for other in sorted(
        (s for s in every if s.is_live), key=lambda s: (s.starts_at, s.ends_at, s.id)
    ):
        if moving is not None and other.id == moving.id:
            continue
        if other.overlaps(starts_at, ends_at):
            mine = STUDENT in (other.student_id, other.host_id)
            return "booking.student_busy" if mine else "booking.slot_taken"
        if HOST in (other.student_id, other.host_id) and other.overlaps(
            starts_at - buffer, ends_at + buffer
        ):
            return "booking.buffer_needed"
    return None


@settings(max_examples=150, deadline=None)
@given(drawn=sessions, buffer=st.sampled_from([0, 5, 10, 15, 30]), moved=st.integers(0, 12))
def test_the_bisection_blocks_what_the_rule_refuses_for_the_reason_a_scan_gives(
    drawn: list[tuple[tuple[int, int], int, int, SessionStatus]], buffer: int, moved: int
) -> None:
    every = _sessions(drawn)
    cal = _split(every)
    theirs = [s for s in cal.sessions if s.is_live]
    moving = theirs[moved % len(theirs)] if theirs and moved else None  # one of the student's
    gap = timedelta(minutes=buffer)
    for starts_at in SWEEP:
        for length in LENGTHS:
            ends_at = starts_at + length
            refused = _overlap_refusal(cal, starts_at, ends_at, moving, gap)
            expected = _scan(every, starts_at, ends_at, moving, gap)
            assert (refused.key if refused else None) == expected, (starts_at, length)
            assert cal.blocked(starts_at, ends_at, moving, gap) == (expected is not None)


# Mondays 07:00-19:00 UTC: DAY's window holds every drawn session.
MONDAYS = WeeklyAvailability(1, HOST, 0, time(7), time(19), "UTC")


@settings(max_examples=100, deadline=None)
@given(drawn=sessions, buffer=st.sampled_from([0, 5, 15]), length=st.sampled_from(LENGTHS))
def test_the_open_starts_are_the_window_s_slots_no_host_session_blocks(
    drawn: list[tuple[tuple[int, int], int, int, SessionStatus]], buffer: int, length: timedelta
) -> None:
    """The search's candidates, counted in microseconds, are the back-to-back slots from the
    window's opening between the two bounds, less those a host's other live session (widened
    by the buffer) touches: the student's sessions are left to `blocked` and the rules."""
    every = _sessions(drawn)
    cal = _split(every)
    cal = Calendar(HOST, STUDENT, [MONDAYS], [], cal.sessions, SPAN, busy=cal.busy)
    gap = timedelta(minutes=buffer)
    start, end = DAY + timedelta(minutes=10), DAY + timedelta(hours=9)
    opens = DAY - timedelta(hours=1)
    slots = [opens + length * n for n in range(int(timedelta(hours=12) / length))]
    hosts = [s for s in every if s.is_live and s not in cal.sessions]
    expected = [
        slot
        for slot in slots
        if start <= slot <= end
        and not any(s.overlaps(slot - gap, slot + length + gap) for s in hosts)
    ]
    assert list(cal.open_starts(start, end, length, gap)) == expected


def test_a_slot_touching_a_session_or_its_buffer_exactly_at_an_edge() -> None:
    """Guards the property against vacuity at the edges it is about: back to back with the
    host's session is blocked only by a buffer, and the student's other host keeps none."""
    host_s = Session(1, OTHER_STUDENT, HOST, SessionKind.MENTORING, DAY, DAY + timedelta(hours=1))
    later = DAY + timedelta(hours=3)
    theirs = Session(
        2, STUDENT, OTHER_HOST, SessionKind.MENTORING, later, later + timedelta(hours=1)
    )
    cal = _split([host_s, theirs])
    assert cal.busy == [(micros(host_s.starts_at), micros(host_s.ends_at), 1)]
    assert cal.sessions == [theirs]
    after_host, after_theirs = host_s.ends_at, theirs.ends_at
    for gap, blocked in ((timedelta(0), False), (timedelta(minutes=10), True)):
        assert cal.blocked(after_host, after_host + timedelta(minutes=30), None, gap) is blocked
        refused = _overlap_refusal(cal, after_host, after_host + timedelta(minutes=30), None, gap)
        assert (refused is not None) is blocked
        assert not cal.blocked(after_theirs, after_theirs + timedelta(minutes=30), None, gap)
    inside = _overlap_refusal(cal, later, later + timedelta(minutes=30), None, timedelta(0))
    assert isinstance(inside, UserError) and inside.key == "booking.student_busy"
    assert cal.blocked(later, later + timedelta(minutes=30), None, timedelta(0))
    assert not cal.blocked(later, later + timedelta(minutes=30), theirs, timedelta(0))


def test_the_calendar_query_hands_the_students_sessions_whole_and_the_hosts_bare(
    database: Database,
) -> None:
    with database.uow() as uow:
        for name in NAMES:
            uow.people.add(f"{name}@q.example", name, "UTC", "en", [], None)
        uow.commit()
        found = uow.people.by_emails(f"{n}@q.example" for n in NAMES)
        ids = {email.split("@")[0]: person.id for email, person in found.items()}
    host, student = ids["host"], ids["student"]
    rows = [
        (ids["other.student"], host, 0, "booked"),
        (ids["other.student"], host, 1, "cancelled"),  # the host's, not live: not read
        (student, host, 2, "cancelled"),  # the student's, any status: the quota counts some
        (student, ids["other.host"], 3, "booked"),
        (ids["other.student"], ids["other.host"], 4, "booked"),  # neither's: not read
        (host, ids["other.host"], 5, "booked"),  # the host as someone's student: busy too
    ]
    with database.engine.begin() as connection:
        connection.execute(
            insert(SessionRow),
            [
                {
                    "student_id": who,
                    "host_id": by,
                    "kind": "defense" if hour == 3 else "mentoring",
                    "starts_at": DAY + timedelta(hours=hour),
                    "ends_at": DAY + timedelta(hours=hour, minutes=30),
                    "status": status,
                    "late_cancellation": hour == 2,
                    "move_count": 0,
                    "created_at": DAY - timedelta(days=1),
                }
                for who, by, hour, status in rows
            ],
        )
    with database.uow() as uow:
        mine, busy = uow.sessions.calendar(host, student, SPAN, SPAN)
    assert [(s.starts_at, s.ends_at, s.status) for s in mine] == [
        (DAY + timedelta(hours=2), DAY + timedelta(hours=2, minutes=30), SessionStatus.CANCELLED),
        (DAY + timedelta(hours=3), DAY + timedelta(hours=3, minutes=30), SessionStatus.BOOKED),
    ]
    # Who, what and whether cancelled late, as the rows say (read in one column of text).
    assert [(s.student_id, s.host_id, s.kind, s.late_cancellation) for s in mine] == [
        (student, host, SessionKind.MENTORING, True),
        (student, ids["other.host"], SessionKind.DEFENSE, False),
    ]
    assert [(from_micros(start), from_micros(end)) for start, end, _ in busy] == [
        (DAY + timedelta(hours=hour), DAY + timedelta(hours=hour, minutes=30)) for hour in (0, 5)
    ]


@given(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)))
def test_as_utc_makes_a_naive_time_the_same_utc_instant(naive: datetime) -> None:
    made = as_utc(naive)
    assert made == naive.replace(tzinfo=UTC) and made.tzinfo is UTC
    assert made.replace(tzinfo=None) == naive
