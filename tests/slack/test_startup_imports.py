"""What `mentorbot slack` imports before it serves: the process itself, started with Python's
own import log (PYTHONPROFILEIMPORTTIME, what `python -X importtime` prints), read up to the
line it prints once every part runs. Alembic (with Mako and Pygments), the chart and training
libraries and the calendar one are for the commands that need them, never for starting; so are
APScheduler (for the replica that leads the ticks), Discord's library (for the Discord process)
and what only one command of the CLI uses; on SQLite, PostgreSQL's dialect.

/healthz answers earlier still, once the migration check is done (adapters/startup.py): before
it, not even SQLAlchemy, the core or the Slack SDK. The commands' handlers and their services
are imported after every part runs (the warm-up), but for the two the core itself uses."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.clock import ManualClock
from bot.registry import REGISTRY
from bot.registry.model import SERVICES
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
# Logged once the health endpoints answer, before the rest starts.
HEALTH_ANSWERS = re.compile(r"health endpoints answer on ")
# None of these before /healthz answers: its migration check reads the database's driver.
NOT_BEFORE_HEALTH = ("sqlalchemy", "slack_bolt", "slack_sdk", "prometheus_client", "babel")
CORE = ("bot.core", "bot.registry", "bot.services", "storage.database", "storage.models")
# The handlers' modules the core imports for itself (who is asking; the calendar feeds).
CORE_SERVICES = {"bot.services.identity", "bot.services.calendars"}


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


def started_imports(
    database_url: str, fake: FakeSlack, folder: Path, until: re.Pattern[str] = HEALTH_LINE
) -> set[str]:
    """The modules imported until the process said it serves (or logged `until`)."""
    env = base_env(
        database_url,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.api_url,
        PYTHONPROFILEIMPORTTIME="1",
        MENTORBOT_LOG_FORMAT="text",
    )
    served = serve(["slack", "--http", "--port", "0", "--no-scheduler"], env, folder)
    try:
        log = served.stderr.read_text(errors="replace")
    finally:
        served.stop()
    before = log[: until.search(log).start()]  # type: ignore[union-attr]
    return set(IMPORTED.findall(before))


def handler_modules() -> set[str]:
    """The modules the registry names its handlers in (imported on first use)."""
    named = set()
    for spec in REGISTRY:
        for handles in (spec.handles, *(action.handles for action in spec.actions)):
            found = (h.rpartition(".")[0] for h in handles.values() if isinstance(h, str))
            named.update(f"{SERVICES}.{module}" for module in found)
    return named


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
    handlers = handler_modules()
    assert len(handlers) > 20 and "bot.services.booking" in handlers
    assert modules & handlers == CORE_SERVICES, sorted(modules & handlers)
    database.dispose()


def test_health_answers_before_sqlalchemy_the_core_and_the_slack_sdk(
    sqlite_template: Path, tmp_path: Path, fake: FakeSlack
) -> None:
    database = fresh_sqlite(sqlite_template, tmp_path)  # at head: the driver's check says so
    modules = started_imports(str(database.engine.url), fake, tmp_path, until=HEALTH_ANSWERS)
    imported = packages(modules)
    assert {"bot.settings", "adapters.health", "sqlite3"} <= modules  # the log is read right
    assert not imported & set(NOT_BEFORE_HEALTH), sorted(imported & set(NOT_BEFORE_HEALTH))
    early = {name for name in modules if name.startswith(CORE)}
    assert not early, sorted(early)
    database.dispose()


def test_a_database_behind_the_migrations_is_still_upgraded_at_start(
    tmp_path: Path, fake: FakeSlack
) -> None:
    """The check stays: a fresh database gets Alembic, and every table, before serving."""
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    imported = packages(started_imports(url, fake, tmp_path, until=HEALTH_ANSWERS))
    assert "alembic" in imported  # upgraded before /healthz answers
    database = Database(url)
    assert at_head(database.engine, MIGRATIONS / "versions")
    database.dispose()
