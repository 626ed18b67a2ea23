"""What `mentorbot slack` imports before it serves: the process itself, started with Python's
own import log (PYTHONPROFILEIMPORTTIME, what `python -X importtime` prints), read up to the
line it prints once every part runs. Alembic (with Mako and Pygments), the chart and training
libraries and the calendar one are for the commands that need them, never for starting; so are
APScheduler (for the replica that leads the ticks), Discord's library (for the Discord process)
and what only one command of the CLI uses; on SQLite, PostgreSQL's dialect."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.clock import ManualClock
from storage.database import MIGRATIONS, Database
from storage.schema_version import at_head
from tests.conftest import fresh_sqlite, load_programme
from tests.serving_process import HEALTH_LINE, base_env, serve
from tests.slack.conftest import SECRET, TOKEN
from tests.slack.fake_slack import FakeSlack

IMPORTED = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)", re.MULTILINE)
NEVER_AT_START = ("alembic", "mako", "pygments", "matplotlib", "sklearn", "numpy", "icalendar")
NOT_FOR_SLACK = ("apscheduler", "discord")
CLI_ONLY = ("adapters.console", "adapters.progress", "bot.demo", "bot.services.roster")
# The models name no dialect (partial indexes' WHERE is the migrations' DDL) and the upserts
# import theirs when first built: each dialect package costs tens of milliseconds.
NOT_ON_SQLITE = ("sqlalchemy.dialects.postgresql",)


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


def started_imports(database_url: str, fake: FakeSlack, folder: Path) -> set[str]:
    """The modules imported until the process said it serves."""
    env = base_env(
        database_url,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.api_url,
        PYTHONPROFILEIMPORTTIME="1",
    )
    served = serve(["slack", "--http", "--port", "0", "--no-scheduler"], env, folder)
    try:
        log = served.stderr.read_text(errors="replace")
    finally:
        served.stop()
    before = log[: HEALTH_LINE.search(log).start()]  # type: ignore[union-attr]
    return set(IMPORTED.findall(before))


def packages(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_serving_starts_without_alembic_or_any_heavy_library(
    sqlite_template: Path, tmp_path: Path, clock: ManualClock, fake: FakeSlack
) -> None:
    database = fresh_sqlite(sqlite_template, tmp_path)  # migrated: the check finds it at head
    load_programme(database, clock)
    modules = started_imports(str(database.engine.url), fake, tmp_path)
    imported = packages(modules)
    assert {"slack_bolt", "sqlalchemy", "storage", "bot"} <= imported  # the log is read right
    never = set(NEVER_AT_START + NOT_FOR_SLACK)
    assert not imported & never, sorted(imported & never)
    assert "adapters.cli" in modules
    assert not modules & set(CLI_ONLY), sorted(modules & set(CLI_ONLY))
    assert "sqlalchemy.dialects.sqlite" in modules  # its engine's own
    assert not modules & set(NOT_ON_SQLITE), sorted(modules & set(NOT_ON_SQLITE))
    database.dispose()


def test_a_database_behind_the_migrations_is_still_upgraded_at_start(
    tmp_path: Path, fake: FakeSlack
) -> None:
    """The check stays: a fresh database gets Alembic, and every table, before serving."""
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    imported = packages(started_imports(url, fake, tmp_path))
    assert "alembic" in imported
    database = Database(url)
    assert at_head(database.engine, MIGRATIONS / "versions")
    database.dispose()
