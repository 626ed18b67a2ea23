"""Shared fixtures: a migrated database (SQLite always, PostgreSQL when TEST_DATABASE_URL is set),
a clock that only moves when told, and a small programme loaded through the roster service."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.clock import ManualClock
from bot.core import Core
from bot.domain import Person
from bot.replies import Reply
from bot.services.roster import import_roster
from bot.settings import Settings
from storage.database import Database
from storage.models import Base

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
PG_SKIP = (
    "TEST_DATABASE_URL is not set: the PostgreSQL half is skipped "
    "(CI sets it; locally: TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test)"
)
# Monday 23 November 2026, 10:00 in Paris.
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
# Examples per fuzzed inbound surface (console lines, Slack requests, Discord interactions).
FUZZ_EXAMPLES, FUZZ_EXAMPLES_LONG = 2_000, 50_000


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fuzz",
        action="store_true",
        help=f"fuzz each inbound surface with {FUZZ_EXAMPLES_LONG:,} examples "
        f"(default {FUZZ_EXAMPLES:,})",
    )


@pytest.fixture(scope="session")
def fuzz_examples(request: pytest.FixtureRequest) -> int:
    """How many examples a fuzz test draws: `--fuzz` for the long run."""
    return FUZZ_EXAMPLES_LONG if request.config.getoption("--fuzz") else FUZZ_EXAMPLES


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "timezone": "Europe/Paris",
        "locale": "fr",
        "advisor_contact_url": "https://school.example/advisor",
        "book_min_notice_hours": 12,
        "cancel_min_notice_hours": 24,
        "move_min_notice_hours": 24,
        "booking_horizon_days": 28,
        "max_moves_per_session": 2,
        "health_port": 0,  # any free port: tests run side by side
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    database = Database(f"sqlite:///{path}")
    database.upgrade()
    database.dispose()
    return path


@pytest.fixture(scope="session")
def pg_database() -> Iterator[Database]:
    if not PG_URL:
        pytest.skip(PG_SKIP)
    database = Database(PG_URL, pool_size=40)
    with database.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    database.upgrade()
    yield database
    database.dispose()


def fresh_sqlite(template: Path, directory: Path) -> Database:
    path = directory / "mentorbot.db"
    shutil.copy(template, path)
    return Database(f"sqlite:///{path}", pool_size=30)


def erase(database: Database) -> None:
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with database.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def database(
    request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path
) -> Iterator[Database]:
    if request.param == "sqlite":
        database = fresh_sqlite(sqlite_template, tmp_path)
        yield database
        database.dispose()
    else:
        if not PG_URL:
            pytest.skip(PG_SKIP)
        database = request.getfixturevalue("pg_database")
        erase(database)
        yield database


@pytest.fixture
def sqlite_database(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    database = fresh_sqlite(sqlite_template, tmp_path)
    yield database
    database.dispose()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


ROSTER = """\
email,name,role,timezone,locale,slack_id,discord_id,mentor_email,session_minutes,sessions_per_week,path
mentor@school.example,Camille Martin,mentor,Europe/Paris,fr,U0MENTOR,,,,,
other.mentor@school.example,Omar Diallo,mentor;validator,Africa/Dakar,fr,,,,,,
validator@school.example,Hugo Laurent,validator,Europe/Paris,fr,,,,,,
advisor@school.example,Nadia Benali,advisor,Europe/Paris,fr,,,,,,
lea@school.example,Léa Dubois,student,Europe/Paris,fr,U0LEA,,mentor@school.example,45,1,Web
sam@school.example,Sam Taylor,student,America/Toronto,en,,,mentor@school.example,30,1,Data
zoe@school.example,Zoé Petit,student,Europe/Paris,fr,,,mentor@school.example,30,2,Web
"""


@dataclass
class Programme:
    """A loaded programme and a terse way to act as one of its people."""

    core: Core
    database: Database
    clock: ManualClock
    people: dict[str, Person]

    def run(self, who: str, line: str) -> Reply:
        return self.core.run_line(self.people[who].id, line)

    def ok(self, who: str, line: str) -> Reply:
        reply = self.run(who, line)
        assert not reply.is_error, reply
        return reply

    def refused(self, who: str, line: str) -> str:
        reply = self.run(who, line)
        assert reply.is_error, reply
        return reply.lines[0].key


def load_programme(database: Database, clock: ManualClock, **settings: object) -> Programme:
    core = Core(database.uow, clock, make_settings("sqlite://", **settings), database.reads)
    with database.uow() as uow:
        report = import_roster(uow, ROSTER, "Europe/Paris", "fr", clock.now(), welcome_new=False)
        assert report.applied, report.rejected
        uow.commit()
        people = {
            email.split("@")[0]: person
            for email, person in uow.people.by_emails(report.created).items()
        }
    programme = Programme(core, database, clock, people)
    # Camille (Paris): Monday and Thursday 09:00-12:00, Wednesday 14:00-18:00.
    for line in ("add lun 09:00-12:00", "add jeu 09:00-12:00", "add wed 14:00-18:00"):
        programme.ok("mentor", f"/availability {line}")
    return programme


@pytest.fixture
def programme(database: Database, clock: ManualClock) -> Programme:
    return load_programme(database, clock)
