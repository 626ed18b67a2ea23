"""The scheduled jobs are set-based: the statements a job sends do not grow with the number of
students (counted at two sizes with an engine listener), and a tick with nothing new writes
nothing. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select, update

from bot import scheduled
from bot.commands import AnswerCheckin
from bot.services.roster import import_roster
from storage.database import Database
from storage.models import (
    CheckinRow,
    NotificationRow,
    PauseRow,
    PersonRow,
    QuestionRow,
    SessionRow,
    TimeOffRow,
)
from storage.models.base import as_utc
from tests.conftest import erase, make_settings
from tests.statements import Statements, counting

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Monday, after 09:00 in both zones below
ZONES = ("Europe/Paris", "America/Toronto")
HEADER = (
    "email,name,role,timezone,locale,slack_id,discord_id,mentor_email,"
    "session_minutes,sessions_per_week,path"
)
SMALL, LARGE = 8, 40


def school(database: Database, students: int) -> list[int]:
    """A mentor and `students` students, each with a session within the next day, an answered
    check-in last week and a question kept for the session."""
    rows = ["m@scale.example,Mentor,mentor,Europe/Paris,fr,,,,,,"]
    rows += [
        f"s{n}@scale.example,S{n},student,{ZONES[n % 2]},fr,,,m@scale.example,30,1,"
        for n in range(students)
    ]
    with database.uow() as uow:
        report = import_roster(uow, "\n".join([HEADER, *rows]) + "\n", "UTC", "fr", NOW)
        assert report.applied, report.rejected[:3]
        uow.commit()
        people = uow.people.by_emails(report.created)
    mentor = people["m@scale.example"].id
    ids = [people[f"s{n}@scale.example"].id for n in range(students)]
    first = NOW + timedelta(hours=1)
    with database.engine.begin() as connection:
        connection.execute(
            insert(SessionRow), [_session(s, mentor, first, n) for n, s in enumerate(ids)]
        )
        connection.execute(insert(CheckinRow), [_checkin(s) for s in ids])
        connection.execute(insert(QuestionRow), [_question(s, mentor) for s in ids])
    return ids


def _session(student: int, mentor: int, first: datetime, n: int) -> dict[str, object]:
    starts = first + timedelta(minutes=20 * n)
    return {
        "student_id": student,
        "host_id": mentor,
        "kind": "mentoring",
        "starts_at": starts,
        "ends_at": starts + timedelta(minutes=15),
        "status": "booked",
        "late_cancellation": False,
        "move_count": 0,
        "created_at": NOW - timedelta(days=3),
    }


def _checkin(student: int) -> dict[str, object]:
    sent = NOW - timedelta(days=7)
    return {
        "student_id": student,
        "iso_year": 2026,
        "iso_week": 47,
        "sent_at": sent,
        "answered_at": sent + timedelta(hours=2),
        "progress": "ok",
        "confidence": 4,
        "blockers": "",
        "goal": "ship",
    }


def _question(student: int, mentor: int) -> dict[str, object]:
    return {
        "student_id": student,
        "mentor_id": mentor,
        "text": "and the tests?",
        "topic": "mentor",
        "decision": "agenda",
        "created_at": NOW - timedelta(days=1),
    }


def run(database: Database, job: str, at: datetime = NOW) -> tuple[int, Statements]:
    settings = make_settings("sqlite://", checkin_schedule="mon 09:00")
    with database.uow() as uow, counting(database.engine) as sent:
        done = scheduled.JOBS[job](uow, at, settings)
    return done, sent


def at_two_sizes(database: Database, job: str) -> tuple[Statements, Statements]:
    """The statements of `job` for SMALL then LARGE students (each on a fresh database)."""
    counts = []
    for size in (SMALL, LARGE):
        erase_all(database)
        school(database, size)
        done, sent = run(database, job)
        assert done > 0, job
        counts.append(sent)
    return counts[0], counts[1]


def erase_all(database: Database) -> None:
    if database.engine.dialect.name == "postgresql":
        erase(database)
    else:
        from storage.models import Base

        with database.engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.mark.parametrize("job", ["checkins", "reminders"])
def test_a_job_sends_as_many_statements_for_many_students_as_for_few(
    database: Database, job: str
) -> None:
    small, large = at_two_sizes(database, job)
    assert len(large) == len(small), f"{SMALL} students:\n{small}\n{LARGE} students:\n{large}"
    assert len(large) <= 12, str(large)


def test_a_checkin_tick_with_nothing_new_writes_nothing(database: Database) -> None:
    school(database, SMALL)
    assert run(database, "checkins")[0] == SMALL
    done, sent = run(database, "checkins", NOW + timedelta(minutes=5))
    assert done == 0
    assert sent.writes() == [], str(sent)


def test_checkin_pages_of_a_few_students_create_each_one_once(database: Database) -> None:
    """Pages smaller than the school, some students in them not due (paused, or asked this
    week already): every student due gets one check-in and one prompt, a page never more
    than its size, and the pages end."""
    ids = school(database, 11)
    paused, asked = ids[1:3], ids[5]
    with database.engine.begin() as connection:
        connection.execute(
            update(PersonRow).where(PersonRow.id.in_(paused)).values(status="paused")
        )
        connection.execute(insert(CheckinRow), [{**_checkin(asked), "iso_week": 48}])
    week, pages, after = (2026, 48), [], 0
    with database.uow() as uow:
        prompt = scheduled._prompt(week)
        while page := uow.checkins.open_page(week, ZONES, NOW, after, 3, prompt):
            created, after = page
            pages.append(created)
            uow.commit()
    due = [s for s in ids if s not in (*paused, asked)]
    assert sum(pages) == len(due) and max(pages) <= 3 and len(pages) >= 3, pages
    with database.engine.connect() as connection:
        weeks = connection.execute(
            select(CheckinRow.student_id, CheckinRow.sent_at).where(CheckinRow.iso_week == 48)
        ).all()
        keys = connection.scalars(
            select(NotificationRow.idempotency_key).where(
                NotificationRow.idempotency_key.like("checkin:%")
            )
        ).all()
    assert sorted(s for s, sent in weeks if as_utc(sent) == NOW) == due
    assert sorted(keys) == sorted(f"checkin:{s}:2026-W48" for s in due)


def test_checkin_pages_on_postgresql_are_larger_and_do_not_wait_for_the_disk(
    database: Database,
) -> None:
    """On PostgreSQL a page is ten of SQLite's (no command waits behind it) and its
    transaction commits without waiting for the WAL's flush, uncompiled (no JIT); both end
    with the page's transaction, never left on the pooled connection."""
    postgresql = database.engine.dialect.name == "postgresql"
    ids = school(database, 3)
    with database.uow() as uow:
        assert uow.checkins.page_size(500) == (5_000 if postgresql else 500)
        if not postgresql:
            return
        settings = "SELECT current_setting('synchronous_commit'), current_setting('jit')"
        before = uow.checkins.db.connection().exec_driver_sql(settings).one()
        assert before != ("off", "off")  # the server's own: else this test proves nothing
        prompt = scheduled._prompt((2026, 48))
        assert uow.checkins.open_page((2026, 48), ZONES, NOW, 0, 500, prompt) == (3, ids[-1])
        connection = uow.checkins.db.connection()
        assert connection.exec_driver_sql(settings).one() == ("off", "off")
        uow.commit()
        assert uow.checkins.db.connection().exec_driver_sql(settings).one() == before


def bound(statements: Statements) -> int:
    """How many values were sent with the statements (an executemany's rows counted each)."""
    rows = [p if isinstance(p, list) else [p] for _, p in statements.sent]
    return sum(len(values) for each in rows for values in each)


def test_checkin_planning_sends_nothing_per_student(database: Database) -> None:
    """The week's check-ins and their prompts are computed by the database (INSERT … SELECT,
    the payload bound once): the values sent do not grow with the students. A row of values
    each, encoded and bound in Python, was most of the 35 s the job took at 100,000."""
    small, large = at_two_sizes(database, "checkins")
    assert bound(large) == bound(small), f"{bound(small)} values, then {bound(large)}"
    with database.uow() as uow:
        claimed = uow.outbox.claim_due(NOW, 200, 30)
    prompts = {
        c.notification.idempotency_key: c.notification
        for c in claimed
        if c.notification.key == "checkin.prompt"
    }
    assert len(prompts) == LARGE
    some = min(p.recipient_id or 0 for p in prompts.values())
    prompt = prompts[f"checkin:{some}:2026-W48"]
    assert prompt.recipient_id == some and prompt.key == "checkin.prompt"
    assert [c.action for c in prompt.choices] == [AnswerCheckin(None)]


def test_each_mentor_reads_the_last_answered_checkin_and_the_kept_questions(
    database: Database,
) -> None:
    """The briefings read for all sessions at once say what they said one by one: the newest
    answered check-in of the latest six, the questions kept for the session, oldest first."""
    first, _ = school(database, 2)
    with database.engine.begin() as connection:  # the first student: a newer form unanswered,
        connection.execute(  # an answered question and a newer kept one
            insert(CheckinRow),
            [{"student_id": first, "iso_year": 2026, "iso_week": 48, "sent_at": NOW}],
        )
        connection.execute(
            insert(QuestionRow),
            [
                {**_question(first, 1), "text": "answered", "answer": "yes"},
                {**_question(first, 1), "text": "and the docs?", "answer": None},
            ],
        )
    assert run(database, "reminders")[0] == 4
    with database.uow() as uow:
        claimed = uow.outbox.claim_due(NOW + timedelta(days=1), 50, 30)
    briefings = {
        c.notification.params["with"]: c.notification.params
        for c in claimed
        if c.notification.key == "reminder.host.mentoring"
    }
    assert set(briefings) == {"S0", "S1"}
    for name, agenda in (("S0", ["and the tests?", "and the docs?"]), ("S1", ["and the tests?"])):
        dated = briefings[name]["checkin"]  # the latest check-in with its date (issue 14)
        assert dated.key == "week.checkin_dated" and dated.params["day"] is not None  # type: ignore[attr-defined]
        checkin = dated.params["answers"]  # type: ignore[attr-defined]
        assert checkin.key == "reminder.checkin" and checkin.params["goal"] == "ship"
        assert briefings[name]["agenda"] == agenda


def quiet_school(database: Database, students: int) -> None:
    """`students` who joined two months ago, never booked and left their last four check-ins
    unanswered; their mentor took week 46 off and one of them paused for a few days: each is
    flagged by the scan and then reconsidered against those excused weeks and the holidays."""
    rows = ["m@scale.example,Mentor,mentor,Europe/Paris,fr,,,,,,"]
    rows += [
        f"s{n}@scale.example,S{n},student,Europe/Paris,fr,,,m@scale.example,30,1,"
        for n in range(students)
    ]
    with database.uow() as uow:
        joined = NOW - timedelta(days=60)
        report = import_roster(uow, "\n".join([HEADER, *rows]) + "\n", "UTC", "fr", joined)
        assert report.applied, report.rejected[:3]
        uow.commit()
        people = uow.people.by_emails(report.created)
    mentor = people["m@scale.example"].id
    ids = [people[f"s{n}@scale.example"].id for n in range(students)]
    forms = [
        {"student_id": s, "iso_year": 2026, "iso_week": week, "sent_at": _monday(week)}
        for s in ids
        for week in (44, 45, 46, 47)
    ]
    off = {"first_day": _monday(46).date(), "last_day": _monday(46).date() + timedelta(days=6)}
    with database.engine.begin() as connection:
        connection.execute(insert(CheckinRow), forms)
        connection.execute(
            insert(TimeOffRow),
            [{"person_id": mentor, **off, "starts_at": _monday(46), "ends_at": _monday(47)}],
        )
        connection.execute(
            insert(PauseRow),
            [{"person_id": ids[0], "starts_at": _monday(45), "ends_at": _monday(45) + DAY}],
        )


DAY = timedelta(days=1)


def _monday(week: int) -> datetime:
    return datetime.fromisocalendar(2026, week, 1).replace(hour=9, tzinfo=UTC)


def test_disengagement_reconsiders_every_flagged_student_in_a_few_statements(
    database: Database,
) -> None:
    """The excused weeks (time off, pauses, holidays) of all flagged students are read at once:
    as many statements for 40 flagged students as for 8 (it was three or more per student)."""
    settings = make_settings("sqlite://", school_holidays="2026-10-26:2026-10-30")
    counts = []
    for size in (SMALL, LARGE):
        erase_all(database)
        quiet_school(database, size)
        with database.uow() as uow, counting(database.engine) as sent:
            raised = scheduled.JOBS["disengagement"](uow, NOW, settings)
        # Weeks 44 (holidays) and 46 (time off) are excused; 45 and 47 still make two missed.
        assert raised == size
        counts.append(sent)
    small, large = counts
    assert len(large) == len(small), f"{SMALL} students:\n{small}\n{LARGE} students:\n{large}"
    assert len(large) <= 16, str(large)


def test_writers_plan_a_week_in_shares_that_cover_every_student_once(database: Database) -> None:
    """PostgreSQL plans a week on two connections at once, SQLite on its one writer; the
    shares are ranges of ids that meet end to end and cover every student, and a share's
    pages never reach into the next."""
    postgresql = database.engine.dialect.name == "postgresql"
    ids = school(database, 11)
    with database.uow() as uow:
        assert uow.writers() == (2 if postgresql else 1)
        shares = uow.checkins.shares(2)
        assert len(shares) == 2 and shares[0][1] == shares[1][0], shares
        assert shares[0][0] < min(ids) and max(ids) <= shares[1][1], (shares, ids)
        prompt, pages = scheduled._prompt((2026, 48)), []
        for after, until in shares:
            while page := uow.checkins.open_page((2026, 48), ZONES, NOW, after, 2, prompt, until):
                assert after < page[1] <= until, (page, after, until)
                pages.append(page[0])
                after = page[1]
            uow.commit()
    assert sum(pages) == len(ids) and max(pages) <= 2, pages


def test_the_job_planning_in_shares_asks_every_student_once(database: Database) -> None:
    """The whole job, its writers at once on PostgreSQL: one check-in and one prompt each."""
    ids = school(database, 11)
    with database.uow() as uow:
        settings = make_settings(str(database.engine.url), checkin_schedule="mon 09:00")
        assert scheduled.checkins(uow, NOW, settings) == len(ids)
    with database.engine.connect() as connection:
        keys = connection.scalars(
            select(NotificationRow.idempotency_key).where(
                NotificationRow.idempotency_key.like("checkin:%")
            )
        ).all()
        weeks = connection.scalars(
            select(CheckinRow.student_id).where(CheckinRow.iso_week == 48)
        ).all()
    assert sorted(weeks) == sorted(ids)
    assert sorted(keys) == sorted(f"checkin:{s}:2026-W48" for s in ids)
