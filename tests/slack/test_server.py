"""`mentorbot slack`: its HTTP host, its start-up checks, and the manifest admins paste."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from adapters.serving import ServeOptions, serve
from adapters.slack.manifest import manifest
from adapters.slack.render import typed
from adapters.slack.runner import mentions_people
from bot.parsing import command_names
from bot.registry import REGISTRY
from tests.conftest import Programme
from tests.slack.conftest import Slack, slack_app, texts
from tests.slack.fake_slack import FakeSlack

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "adapters" / "slack" / "manifest.yml"
# Every command the core parses (`/help` is `/mentorbot help` on Slack): a new core command
# without its slash command fails this test.
COMMANDS = set(command_names()) - {"help"}
# The commands that take a PERSON: Slack must send a typed @name as <@U…|name>.
PERSON_COMMANDS = {"contact", "escalate", "alerts", "progress", "pause", "resume"}


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_health_and_unknown_paths(sqlite_slack: Slack) -> None:
    status, body = get(f"{sqlite_slack.server.url}/healthz")
    assert status == 200 and json.loads(body) == {"ok": True}
    assert get(f"{sqlite_slack.server.url}/")[0] == 404
    assert get(f"{sqlite_slack.server.url}/slack/events")[0] == 404  # Slack only POSTs there


def test_mentions_links_and_escapes_come_back_as_typed() -> None:
    assert typed("absence <@U0LEA|lea> &lt;3 &amp; co") == "absence <@U0LEA|lea> <3 & co"
    assert typed("link <mailto:sam@x.org|sam@x.org>") == "link sam@x.org"
    assert typed("see <https://a.example/b?c=1|a.example/b>") == "see https://a.example/b?c=1"
    assert typed("&lt;!channel&gt;") == "<!channel>"  # still escaped whenever echoed


def test_a_mentioned_person_is_linked_by_email_for_the_core(slack: Slack) -> None:
    """`/contact none <@U0SAM|sam>`: Sam never wrote to the bot; his Slack email links him."""
    seen = slack.command("U0MENTOR", "/contact", "none <@U0SAM|sam>")
    assert [call.args["user"] for call in slack.fake.calls_to("users.info")] == ["U0SAM"]
    assert slack.programme.core.identify("slack", "U0SAM") == slack.programme.people["sam"]
    assert not texts(seen)[0].startswith("⚠️"), texts(seen)


@pytest.mark.parametrize(
    ("settings", "http", "missing"),
    [
        ({"slack_bot_token": None}, True, "SLACK_BOT_TOKEN"),
        ({"slack_signing_secret": None}, True, "SLACK_SIGNING_SECRET"),
        ({"slack_app_token": "xapp-1", "slack_bot_token": None}, False, "SLACK_BOT_TOKEN"),
    ],
)
def test_serve_names_the_missing_variable_and_exits_2(
    sqlite_programme: Programme,
    fake_slack: FakeSlack,
    capsys: pytest.CaptureFixture[str],
    settings: dict[str, object],
    http: bool,
    missing: str,
) -> None:
    app = slack_app(sqlite_programme, fake_slack, **settings)
    options = ServeOptions(platforms=("slack",), slack_http=http, slack_port=0, scheduler=False)
    assert serve(app, options) == 2
    assert missing in capsys.readouterr().err
    assert fake_slack.calls == []


def test_serve_refuses_a_token_slack_rejects(
    sqlite_programme: Programme, fake_slack: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_slack.script("auth.test", 200, {"ok": False, "error": "invalid_auth"})
    app = slack_app(sqlite_programme, fake_slack)
    options = ServeOptions(platforms=("slack",), slack_http=True, slack_port=0, scheduler=False)
    assert serve(app, options) == 2
    error = capsys.readouterr().err
    assert "invalid_auth" in error and "SLACK_BOT_TOKEN" in error


def test_the_cli_stops_with_code_2_without_slack_credentials(tmp_path: Path) -> None:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'slack.db'}",
        "SLACK_SIGNING_SECRET": "s",
    }
    run = subprocess.run(
        [sys.executable, "-m", "bot", "slack", "--http", "--no-scheduler"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=60,
        check=False,
    )
    assert run.returncode == 2, run.stderr
    assert "SLACK_BOT_TOKEN" in run.stderr


def command_blocks(manifest: str) -> dict[str, str]:
    """Each slash command's lines in the manifest, by name."""
    declared = re.findall(r"- command: /(\w+)", manifest)
    assert len(declared) == len(set(declared))
    return {
        name: manifest.split(f"- command: /{name}\n")[1].split("- command:")[0] for name in declared
    }


def test_the_committed_manifest_is_the_one_the_registry_generates() -> None:
    """`mentorbot slack manifest` prints it, without settings or a database."""
    printed = subprocess.run(
        [sys.executable, "-m", "bot", "slack", "manifest"],
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", "")},
        timeout=60,
        check=True,
    ).stdout
    assert printed == manifest()
    assert MANIFEST.read_text(encoding="utf-8") == printed, (
        "regenerate it: mentorbot slack manifest > adapters/slack/manifest.yml"
    )


def test_the_manifest_declares_every_command_event_and_scope() -> None:
    manifest = MANIFEST.read_text(encoding="utf-8")
    commands = command_blocks(manifest)
    assert set(commands) >= COMMANDS
    for name, block in commands.items():
        assert "url: https://mentorbot.example.org/slack/events" in block
        description = re.search(r"description: \"?([^\n\"]+)", block)
        assert description and len(description[1]) <= 100, (name, description)
        assert re.search(r"should_escape: (true|false)", block)
    for needed in ("app_home_opened", "message.im", "home_tab_enabled: true"):
        assert needed in manifest
    scopes = ("commands", "chat:write", "im:write", "im:history", "users:read.email", "files:write")
    for scope in scopes:
        assert re.search(rf"- {re.escape(scope)}( |$)", manifest, re.M), scope
    escaped = {name for name, block in commands.items() if "should_escape: true" in block}
    assert escaped == {spec.name for spec in REGISTRY if spec.slack and spec.should_escape}
    assert escaped >= PERSON_COMMANDS
    assert all(map(mentions_people, escaped | {"mentorbot"}))  # mentorbot's link names people
    for name, hint in (("checkin", "PROGRESS | BLOCKERS | GOAL"), ("notes", "absent")):
        assert hint in commands[name], name
