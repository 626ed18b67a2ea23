"""`mentorbot discord` refuses to start without a usable configuration, naming what is wrong."""

from __future__ import annotations

import argparse
import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest

from adapters.discord.runner import serve
from tests.discord.conftest import World
from tests.discord.fake_discord import FakeDiscord

ARGS = argparse.Namespace(no_scheduler=True)


def test_without_a_token_it_exits_2_naming_DISCORD_TOKEN(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    app = replace(world.app, settings=world.app.settings.model_copy(update={"discord_token": None}))
    assert serve(app, ARGS) == 2
    assert "DISCORD_TOKEN" in capsys.readouterr().err


def test_a_discord_id_that_is_not_a_number_exits_2_naming_it(
    world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISCORD_ADVISOR_ROLE_ID", "conseillers")
    assert serve(world.app, ARGS) == 2
    assert "DISCORD_ADVISOR_ROLE_ID" in capsys.readouterr().err


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


def test_a_token_discord_refuses_exits_2(
    world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISCORD_GUILD_ID", raising=False)
    world.fake.fail_next("GET", r"/users/@me", 401, {"message": "401: Unauthorized", "code": 0})
    with served_in_a_thread(world.fake):
        assert serve(world.app, ARGS) == 2
    assert "DISCORD_TOKEN" in capsys.readouterr().err
    assert [c.path for c in world.fake.calls] == ["/users/@me"]
