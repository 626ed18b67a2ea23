"""Discord for a serving process under test: fake REST and gateway hosted in a thread of the
test process, and waits on what the process calls (see tests/serving_process.py)."""

from __future__ import annotations

from typing import Any

from tests.discord import payloads
from tests.discord.fake_discord import Call, FakeDiscord
from tests.discord.fake_gateway import BackgroundLoop, FakeGateway
from tests.serving_process import Process, eventually

TOKEN = "test-bot-token"


class DiscordFakes:
    """Fake REST API and fake gateway, served from a background thread of the test process."""

    def __init__(self, rest: FakeDiscord | None = None, gateway: FakeGateway | None = None):
        self.rest = rest or FakeDiscord()
        roles = {payloads.ADVISOR_ROLE_ID: "conseillers"}
        self.gateway = gateway or FakeGateway(token=TOKEN, guilds=[payloads.guild_create(roles)])
        self.host: BackgroundLoop | None = None

    def __enter__(self) -> DiscordFakes:
        self.host = BackgroundLoop()
        self.host.run(self.rest.start())
        self.host.run(self.gateway.start())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.host is not None
        self.host.run(self.gateway.stop())
        self.host.run(self.rest.stop())
        self.host.close()
        self.gateway.close()
        self.host = None

    def env(self) -> dict[str, str]:
        """The DISCORD_* variables of a process served by these fakes."""
        return {
            "DISCORD_TOKEN": TOKEN,
            "DISCORD_API_URL": self.rest.url,
            "DISCORD_GATEWAY_URL": self.gateway.url,
            "DISCORD_ADVISORS_CHANNEL_ID": str(payloads.ADVISORS_CHANNEL_ID),
            "DISCORD_GUILD_ID": str(payloads.GUILD_ID),
            "DISCORD_ADVISOR_ROLE_ID": str(payloads.ADVISOR_ROLE_ID),
        }

    def _host(self) -> BackgroundLoop:
        assert self.host is not None, "the fakes are not started"
        return self.host

    def dispatch(self, event: str, data: dict[str, Any]) -> list[int]:
        """An event to every session of the token (as Discord sends it)."""
        return self._host().run(self.gateway.dispatch(event, data))

    def drop(self) -> None:
        self._host().run(self.gateway.drop())

    def identified(
        self, count: int = 1, *, timeout: float = 30.0, process: Process | None = None
    ) -> None:
        eventually(
            lambda: self.gateway.identified >= count,
            timeout=timeout,
            what=f"{count} gateway session(s) identified",
            process=process,
        )

    def calls(
        self,
        method: str,
        pattern: str,
        *,
        count: int = 1,
        timeout: float = 20.0,
        process: Process | None = None,
    ) -> list[Call]:
        """The successful REST calls matching, once there are `count` of them."""

        def found() -> list[Call]:
            calls = [c for c in self.rest.find(method, pattern) if c.status < 300]
            return calls if len(calls) >= count else []

        return list(
            eventually(found, timeout=timeout, what=f"{count}× {method} {pattern}", process=process)
        )
