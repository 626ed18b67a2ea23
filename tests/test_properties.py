"""Hypothesis: whatever people book, cancel and move, and whenever, the invariants hold."""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import calendar
from bot.action_lines import command_line
from bot.clock import ManualClock
from bot.core import Core
from bot.domain import Session, SessionKind
from bot.services.roster import import_roster
from storage.database import Database
from tests.conftest import make_settings

ROSTER = """\
email,name,role,timezone,locale,slack_id,discord_id,mentor_email,session_minutes,sessions_per_week,path
paris@p.org,Paris Mentor,mentor,Europe/Paris,fr,,,,,,
toronto@p.org,Toronto Mentor,mentor,America/Toronto,en,,,,,,
a@p.org,A,student,Europe/Paris,fr,,,paris@p.org,30,1,
b@p.org,B,student,America/Toronto,en,,,paris@p.org,45,2,
c@p.org,C,student,Asia/Tokyo,en,,,toronto@p.org,60,1,
d@p.org,D,student,Europe/Paris,fr,,,toronto@p.org,20,3,
"""
STUDENTS = ["a", "b", "c", "d"]
MENTORS = {
    "paris": ["mon 09:00-12:00", "wed 14:00-18:00", "sun 00:00-23:30"],
    "toronto": ["mon 08:00-11:00", "tue 18:00-22:00", "sat 01:00-04:00"],
}
# Starts a few days before a DST change, so most runs cross one.
STARTS = [
    datetime(2026, 3, 4, 12, tzinfo=UTC),
    datetime(2026, 3, 25, 12, tzinfo=UTC),
    datetime(2026, 10, 21, 12, tzinfo=UTC),
    datetime(2026, 10, 28, 12, tzinfo=UTC),
    datetime(2027, 3, 10, 12, tzinfo=UTC),
]

person = st.sampled_from(STUDENTS + list(MENTORS))
operations = st.lists(
    st.one_of(
        st.tuples(st.just("pick"), st.sampled_from(STUDENTS), st.integers(0, 7)),
        st.tuples(st.just("book"), st.sampled_from(STUDENTS), st.integers(0, 14 * 96)),
        st.tuples(st.just("cancel"), person, st.integers(0, 5)),
        st.tuples(st.just("move"), person, st.integers(0, 7)),
        st.tuples(st.just("wait"), person, st.integers(1, 72)),
    ),
    min_size=1,
    max_size=25,
)


class World:
    def __init__(self, database: Database, start: datetime) -> None:
        self.database = database
        self.clock = ManualClock(start)
        self.core = Core(
            database.uow,
            self.clock,
            make_settings("sqlite://", book_min_notice_hours=2, move_min_notice_hours=2),
        )
        with database.uow() as uow:
            report = import_roster(uow, ROSTER, "Europe/Paris", "fr", self.clock.now())
            uow.commit()
            people = uow.people.by_emails(report.created)
        self.ids = {email.split("@")[0]: p.id for email, p in people.items()}
        self.zones = {email.split("@")[0]: p.zone for email, p in people.items()}
        self.contract = {"a": (30, 1), "b": (45, 2), "c": (60, 1), "d": (20, 3)}
        for mentor, lines in MENTORS.items():
            for line in lines:
                assert not self.run(mentor, f"/availability add {line}").is_error

    def run(self, who: str, line: str):  # type: ignore[no-untyped-def]
        return self.core.run_line(self.ids[who], line)

    def apply(self, op: tuple[str, str, int]) -> None:
        kind, who, n = op
        if kind == "pick":
            self._choose(who, "/book", n)
        elif kind == "book":
            when = self.clock.now().replace(minute=0, second=0) + timedelta(minutes=15 * n)
            local = when.astimezone(self.zones[who]).strftime("%Y-%m-%d %H:%M")
            self.run(who, f"/book {local}")
        elif kind in ("cancel", "move"):
            sessions = self.run(who, f"/{kind}").choices
            if sessions:
                chosen = command_line(sessions[n % len(sessions)].action)
                if kind == "cancel":
                    self.run(who, chosen)
                else:
                    self._choose(who, chosen, n)
        else:
            self.clock.advance(hours=n)

    def _choose(self, who: str, line: str, n: int) -> None:
        choices = self.run(who, line).choices
        if choices:
            self.run(who, command_line(choices[n % len(choices)].action))

    def sessions(self) -> list[Session]:
        far = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
        with self.database.uow() as uow:  # `overlapping` finds them (a calendar's columns only),
            found = uow.sessions.overlapping(list(self.ids.values()), *far)
            return [s for c in found if (s := uow.sessions.get(c.id)) is not None]  # whole


def assert_invariants(world: World) -> None:
    sessions = world.sessions()
    live = [s for s in sessions if s.is_live]
    for a in live:
        for b in live:
            if a.id < b.id and {a.host_id, a.student_id} & {b.host_id, b.student_id}:
                assert not a.overlaps(b.starts_at, b.ends_at), (a, b)
    for name, (minutes, per_week) in world.contract.items():
        mine = [s for s in sessions if s.student_id == world.ids[name]]
        for s in mine:
            assert s.kind == SessionKind.MENTORING
            assert s.ends_at - s.starts_at == timedelta(minutes=minutes)
        weeks = Counter(
            calendar.week_bounds(s.starts_at, world.zones[name])[0]
            for s in mine
            if s.counts_toward_quota()
        )
        assert all(count <= per_week for count in weeks.values()), weeks


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(start=st.sampled_from(STARTS), ops=operations)
def test_no_overlap_contract_length_and_quota_whatever_happens(
    sqlite_template: Path, start: datetime, ops: list[tuple[str, str, int]]
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "prop.db"
        shutil.copy(sqlite_template, path)
        database = Database(f"sqlite:///{path}")
        try:
            world = World(database, start)
            for op in ops:
                world.apply(op)
            assert_invariants(world)
        finally:
            database.dispose()


def test_the_property_harness_books_for_real(sqlite_template: Path, tmp_path: Path) -> None:
    """Guards the property above against vacuity: its operations do produce sessions."""
    shutil.copy(sqlite_template, tmp_path / "p.db")
    database = Database(f"sqlite:///{tmp_path / 'p.db'}")
    world = World(database, STARTS[2])
    for who in STUDENTS:
        world.apply(("pick", who, 0))
    world.apply(("move", "a", 1))
    world.apply(("cancel", "paris", 0))
    sessions = world.sessions()
    assert len(sessions) == 4 and sum(s.is_live for s in sessions) == 3
    assert max(s.move_count for s in sessions) == 1
    assert_invariants(world)
    database.dispose()
    assert ZoneInfo("Asia/Tokyo") == world.zones["c"]
