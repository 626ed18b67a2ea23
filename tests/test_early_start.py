"""What a serving process does before SQLAlchemy and the rest are imported (adapters/startup.py):
its migration check through the database's own driver, which leaves to the engine's check
whatever it cannot tell for sure, and health endpoints that answer /healthz while /readyz says
the process is still starting."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from adapters.health import HealthServer
from storage.database import Database, alembic_config
from storage.schema_version import VERSIONS, _driver_connection, at_head, known_at_head
from tests.conftest import PG_URL


def test_the_driver_s_check_agrees_with_the_engine_s_on_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "school.db"
    url = f"sqlite:///{path}"
    assert not known_at_head(url)
    assert not path.exists()  # asked read-only: the engine's check and Alembic create it
    database = Database(url)
    database.upgrade()
    assert known_at_head(url) and at_head(database.engine, VERSIONS)
    from alembic import command

    command.downgrade(alembic_config(database.engine), "-1")  # as if a migration had just come
    assert not known_at_head(url) and not at_head(database.engine, VERSIONS)
    database.dispose()


def test_the_driver_s_check_reads_postgresql(pg_database: Database) -> None:
    assert known_at_head(PG_URL)
    with pg_database.engine.begin() as connection:
        (revision,) = connection.exec_driver_sql("SELECT version_num FROM alembic_version").one()
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = 'older'")
    try:
        assert not known_at_head(PG_URL) and not at_head(pg_database.engine, VERSIONS)
    finally:
        with pg_database.engine.begin() as connection:
            update = "UPDATE alembic_version SET version_num = %(revision)s"
            connection.exec_driver_sql(update, {"revision": revision})


@pytest.mark.parametrize(
    "url",
    [
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:///school.db?timeout=10",
        "sqlite+aiosqlite:///school.db",
        "postgresql://mentor@db/school",  # psycopg2, not psycopg
        "postgresql+psycopg://mentor@db/school?sslmode=require",
        "postgresql+psycopg://mentor@[::1]/school",
        "mysql+pymysql://mentor@db/school",
    ],
)
def test_what_the_driver_s_check_does_not_read_for_sure_is_the_engine_s(url: str) -> None:
    assert _driver_connection(url) is None
    assert not known_at_head(url)


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_health_answers_while_the_process_starts_and_readyz_says_so() -> None:
    health = HealthServer("127.0.0.1", 0)
    health.start()
    try:
        assert get(f"{health.url}/healthz") == (200, b'{"ok": true}')
        status, body = get(f"{health.url}/readyz")
        assert (status, json.loads(body)) == (503, {"ready": False, "starting": True})
        assert get(f"{health.url}/metrics")[0] == 503  # nothing counted yet
        assert get(f"{health.url}/calendar/abc.ics")[0] == 404
    finally:
        health.stop(1.0)
