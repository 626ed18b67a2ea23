"""What `mentorbot discord` imports before it serves, read from Python's own import log
(PYTHONPROFILEIMPORTTIME) up to the line it prints once every part runs, as
tests/slack/test_startup_imports.py does for Slack: no Slack library in the Discord process,
and none of the libraries only some commands or the leading replica need."""

from __future__ import annotations

from pathlib import Path

from tests.discord.conftest import World
from tests.discord.process import DiscordFakes
from tests.serving_process import HEALTH_LINE, base_env, serve
from tests.slack.test_startup_imports import CLI_ONLY, IMPORTED, NEVER_AT_START, packages

NOT_FOR_DISCORD = ("apscheduler", "slack_bolt", "slack_sdk")


def test_discord_serves_without_slack_or_any_heavy_library(world: World, tmp_path: Path) -> None:
    with DiscordFakes(rest=world.fake) as fakes:
        env = base_env(world.app.settings.database_url, PYTHONPROFILEIMPORTTIME="1", **fakes.env())
        served = serve(["discord", "--no-scheduler"], env, tmp_path)
        try:
            log = served.stderr.read_text(errors="replace")
        finally:
            served.stop()
    before = log[: HEALTH_LINE.search(log).start()]  # type: ignore[union-attr]
    modules = set(IMPORTED.findall(before))
    imported = packages(modules)
    assert {"discord", "sqlalchemy", "storage", "bot"} <= imported  # the log is read right
    never = set(NEVER_AT_START + NOT_FOR_DISCORD)
    assert not imported & never, sorted(imported & never)
    assert not modules & set(CLI_ONLY), sorted(modules & set(CLI_ONLY))
