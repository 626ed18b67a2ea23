"""The Dockerfile and compose.yaml name only commands and variables that exist."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from adapters.cli import _parser
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = {
    alias
    for field in Settings.model_fields.values()
    for alias in getattr(field.validation_alias, "choices", [])
}
POSTGRES_IMAGE = {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"}


def accepted(argv: list[str]) -> bool:
    """Whether `mentorbot ARGV` parses (argparse exits on an unknown command or flag)."""
    try:
        _parser().parse_args(argv)
    except SystemExit:
        return False
    return True


def test_the_cli_check_itself_can_fail() -> None:
    assert accepted(["run"]) and accepted(["db", "upgrade"])
    assert not accepted(["serve"]) and not accepted(["run", "--workers", "2"])


def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text(encoding="utf-8")


def instruction(name: str) -> list[str]:
    [line] = [line for line in dockerfile().splitlines() if line.startswith(f"{name} ")]
    return list(json.loads(line.removeprefix(f"{name} ")))


def test_the_dockerfile_runs_an_existing_command_as_a_non_root_user() -> None:
    assert instruction("ENTRYPOINT") == ["mentorbot"]
    assert accepted(instruction("CMD"))
    assert re.search(r"^USER (?!root)\w+", dockerfile(), re.MULTILINE)
    assert "FROM python:3.11-slim" in dockerfile()


def test_the_dockerfile_sets_only_settings_and_checks_the_health_port() -> None:
    env_block = re.findall(r"^ENV (.+?)(?<!\\)$", dockerfile(), re.MULTILINE | re.DOTALL)
    names = set(re.findall(r"\b([A-Z][A-Z0-9_]+)=", " ".join(env_block)))
    ours = {name for name in names if name.startswith("MENTORBOT_")}
    assert ours and ours <= SETTINGS
    port = re.search(r"MENTORBOT_HEALTH_PORT=(\d+)", dockerfile())
    assert port and f"127.0.0.1:{port.group(1)}/healthz" in dockerfile()


def compose() -> dict[str, Any]:
    return dict(yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8")))


def test_compose_runs_postgres_a_migration_and_two_replicas() -> None:
    services = compose()["services"]
    assert services["db"]["image"].startswith("postgres:")
    assert services["mentorbot"]["deploy"]["replicas"] == 2
    for name in ("migrate", "mentorbot"):
        assert accepted(services[name]["command"]), name
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://")


def test_compose_names_only_variables_that_exist() -> None:
    for name, service in compose()["services"].items():
        variables = set(service.get("environment", {}))
        known = POSTGRES_IMAGE if name == "db" else SETTINGS
        assert variables <= known, (name, variables - known)
