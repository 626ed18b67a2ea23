"""`mentorbot discord` refuses to start without a usable configuration, naming what is wrong."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from adapters.cli import main
from adapters.serving import ServeOptions, serve
from bot.settings import load_settings
from tests.discord.conftest import World
from tests.discord.fake_discord import FakeDiscord
from tests.discord.payloads import GUILD_ID

ARGS = ServeOptions(platforms=("discord",), scheduler=False)


def test_without_a_token_it_exits_2_naming_DISCORD_TOKEN(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    app = replace(world.app, settings=world.app.settings.model_copy(update={"discord_token": None}))
    assert serve(app, ARGS) == 2
    assert "DISCORD_TOKEN" in capsys.readouterr().err


@pytest.mark.parametrize("variable", ["DISCORD_GUILD_ID", "DISCORD_ADVISOR_ROLE_ID"])
@pytest.mark.parametrize("value", ["conseillers", "0", "-930000000000000004", str(2**64)])
def test_a_discord_id_that_is_not_one_exits_2_naming_it(
    variable: str,
    value: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Checked by the main settings, before any database or Discord connection."""
    monkeypatch.chdir(tmp_path)  # no .env but this test's
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'untouched.db'}")
    monkeypatch.setenv(variable, value)
    assert main(["discord", "--no-scheduler"]) == 2
    error = capsys.readouterr().err
    assert variable in error
    assert "Discord id" in error or "integer" in error
    assert not (tmp_path / "untouched.db").exists()


def test_valid_discord_ids_reach_the_app_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISCORD_GUILD_ID", raising=False)
    monkeypatch.delenv("DISCORD_ADVISOR_ROLE_ID", raising=False)
    (tmp_path / ".env").write_text(
        "DISCORD_GUILD_ID=930000000000000001\nDISCORD_ADVISOR_ROLE_ID=\n"
    )
    settings = load_settings()
    assert (settings.discord_guild_id, settings.discord_advisor_role_id) == (GUILD_ID, None)


@contextmanager
def served_in_a_thread(fake: FakeDiscord) -> Iterator[None]:
    """`serve` runs its own event loop, so the fake gets one of its own in another thread."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(fake.start(), loop).result(10)
    try:
        yield
    finally:
        asyncio.run_coroutine_threadsafe(fake.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def test_a_token_discord_refuses_exits_2(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    world.fake.fail_next("GET", r"/users/@me", 401, {"message": "401: Unauthorized", "code": 0})
    with served_in_a_thread(world.fake):
        assert serve(world.app, ARGS) == 2
    assert "DISCORD_TOKEN" in capsys.readouterr().err
    assert [c.path for c in world.fake.calls] == ["/users/@me"]
