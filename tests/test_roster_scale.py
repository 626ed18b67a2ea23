"""A school's roster imports in bulk: the statements do not grow with the number of new rows
(counted with an engine listener), it is still all or nothing, and a terminal shows a progress
bar (never a pipe). On SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from bot.domain import Role
from bot.services.roster import import_roster
from storage.database import Database
from tests.statements import counting

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
HEADER = (
    "email,name,role,timezone,locale,slack_id,discord_id,mentor_email,"
    "session_minutes,sessions_per_week,path"
)


def roster(students: int, mentors: int = 3, first: int = 0) -> str:
    rows = [f"m{n}@bulk.example,M {n},mentor,Europe/Paris,fr,,,,,," for n in range(mentors)]
    rows += [
        f"s{n}@bulk.example,S {n},student,America/Toronto,en,U{n:07d},{10**17 + n},"
        f"m{n % mentors}@bulk.example,30,1,Web"
        for n in range(first, first + students)
    ]
    return "\n".join([HEADER, *rows]) + "\n"


def imported(database: Database, text: str) -> tuple[int, int]:
    """(created, statements sent) for one import, committed."""
    with database.uow() as uow, counting(database.engine) as sent:
        report = import_roster(uow, text, "UTC", "fr", NOW)
        assert report.applied, report.rejected[:3]
        uow.commit()
    return len(report.created), len(sent)


def test_new_rows_cost_no_statement_each(database: Database) -> None:
    created, few = imported(database, roster(50))
    assert created == 53
    created, many = imported(database, roster(2_000, first=50))
    assert created == 2_000  # the mentors are there already: unchanged
    # Existing mentors are updated row by row (3 rows), the 2,000 students in bulk.
    assert many <= few + 60, (few, many)
    with database.uow() as uow:
        person = uow.people.by_email("s2049@bulk.example")
        assert person is not None and person.roles == frozenset({Role.STUDENT})
        mentorship = uow.mentorships.for_student(person.id)
        assert mentorship is not None and mentorship.session_minutes == 30
        assert uow.identities.external_id(person.id, "slack") == "U0002049"
        assert uow.identities.external_id(person.id, "discord") == str(10**17 + 2049)


def values_sent(database: Database, text: str) -> int:
    """How many values an import sends with its statements (an executemany's rows each)."""
    with database.uow() as uow, counting(database.engine) as sent:
        assert import_roster(uow, text, "UTC", "fr", NOW).applied
        uow.commit()
    rows = [p if isinstance(p, list) else [p] for _, p in sent.sent]
    return sum(len(values) for each in rows for values in each)


def test_new_rows_send_no_value_each(database: Database) -> None:
    """New people, their roles, accounts, mentorships and welcomes go a chunk of rows as one
    JSON value (storage.bulk), the lookups a chunk of emails or accounts as one: the values
    sent do not grow with the rows. Bound one by one, they were most of the import's time."""
    imported(database, roster(0))  # the mentors: both imports below update them alike
    few = values_sent(database, roster(100))
    many = values_sent(database, roster(1_000, first=100))
    assert many == few, (few, many)
    with database.uow() as uow:  # what the JSON carried arrived
        person = uow.people.by_email("s1099@bulk.example")
        assert person is not None and person.name == "S 1099"
        claimed = uow.outbox.claim_due(NOW, 2_000, 30)
    welcomes = [c.notification for c in claimed if c.notification.recipient_id == person.id]
    assert [(w.key, w.params) for w in welcomes] == [("week.welcome.student", {"name": "S 1099"})]


def test_welcomes_past_one_batch_all_go_a_batch_a_statement(database: Database) -> None:
    """5,033 newcomers: welcomed 5,000 and then 33 in one statement each (the welcomes are
    made a batch at a time, the last taking what is left), every one queued once."""
    with database.uow() as uow, counting(database.engine) as sent:
        assert import_roster(uow, roster(5_030), "UTC", "fr", NOW).applied
        uow.commit()
    outbox = [(text, values) for text, values in sent.sent if text.startswith("INSERT INTO outbox")]
    assert len(outbox) == 2 and all(not isinstance(values, list) for _, values in outbox)
    with database.uow() as uow:
        queued = uow.outbox.claim_due(NOW, 6_000, 30)
    assert len({c.notification.idempotency_key for c in queued}) == len(queued) == 5_033


def test_a_bulk_import_is_still_all_or_nothing(database: Database) -> None:
    text = roster(1_000) + "bad-email,Nobody,student,UTC,fr,,,m0@bulk.example,30,1,Web\n"
    with database.uow() as uow:
        report = import_roster(uow, text, "UTC", "fr", NOW)
        assert not report.applied and [r[2].key for r in report.rejected] == ["roster.bad_email"]
    with database.uow() as uow:
        assert uow.people.count() == 0


def test_an_account_given_twice_in_a_bulk_import_is_refused(database: Database) -> None:
    text = roster(10) + "x@bulk.example,X,student,UTC,fr,U0000003,,m0@bulk.example,30,1,Web\n"
    with database.uow() as uow:
        report = import_roster(uow, text, "UTC", "fr", NOW)
    assert [r[2].key for r in report.rejected] == ["roster.duplicate_identity"]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_is_drawn_on_a_terminal_only() -> None:
    from adapters.progress import terminal_progress

    assert terminal_progress(io.StringIO()) is None  # a pipe, a log file
    screen = Terminal()
    progress = terminal_progress(screen, every=0)
    assert progress is not None
    progress(500, 2_000)
    progress(2_000, 2_000)
    assert screen.getvalue().split("\r")[1:] == [
        "[########----------------------]  25% 500/2000",
        "[##############################] 100% 2000/2000\n",
    ]
