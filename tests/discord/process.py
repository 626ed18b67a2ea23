"""Testing a serving process whole: the fakes hosted in the test process (in a thread of their
own), the real `mentorbot` started as a subprocess against them, and waits on what it does.

Nothing of the serving code is imported here: the process is observed from outside, through
what it calls on the fakes, what it prints and how it exits. Reused by the whole-process tests
(`mentorbot discord`, `mentorbot run`, replicas).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tests.discord import payloads
from tests.discord.fake_discord import Call, FakeDiscord
from tests.discord.fake_gateway import BackgroundLoop, FakeGateway

TOKEN = "test-bot-token"
# The instant the test programme is loaded at (tests/conftest.py START); the clock then runs.
CLOCK = "2026-11-23T10:00:00+01:00"
KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")  # nothing else leaks in


def base_env(database_url: str, **variables: str) -> dict[str, str]:
    """A clean environment for a serving process: the developer's shell and `.env` stay out
    (the process runs in a directory of the test's), health on any free port of 127.0.0.1."""
    env = {name: value for name, value in os.environ.items() if name in KEPT}
    env.update(
        DATABASE_URL=database_url,
        MENTORBOT_TIMEZONE="Europe/Paris",
        MENTORBOT_LOCALE="fr",
        MENTORBOT_CLOCK=CLOCK,
        MENTORBOT_HEALTH_HOST="127.0.0.1",
        MENTORBOT_HEALTH_PORT="0",
        MENTORBOT_LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    env.update(variables)
    return env


def eventually(
    condition: Callable[[], Any],
    *,
    timeout: float = 20.0,
    what: str = "",
    process: Process | None = None,
) -> Any:
    """Poll until `condition()` is truthy; fail at once, with its output, if `process` dies."""
    deadline = time.monotonic() + timeout
    while True:
        found = condition()
        if found:
            return found
        if process is not None and process.returncode() is not None:
            code = process.returncode()
            raise AssertionError(f"{process} exited {code} before {what}\n{process.output()}")
        if time.monotonic() > deadline:
            detail = f"\n{process.output()}" if process is not None else ""
            raise AssertionError(f"not {what or condition} within {timeout}s{detail}")
        time.sleep(0.02)


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


class Process:
    """`mentorbot ARGS` (as `python -m bot`) in `directory`, its output kept in files (a
    pipe nobody reads would block it); killed on leaving if still running."""

    def __init__(self, args: Sequence[str], env: dict[str, str], directory: Path, name: str = ""):
        self.args = list(args)
        self.env = env
        self.directory = directory
        self.name = name or "-".join(self.args)
        self.stdout = directory / f"{self.name}.stdout"
        self.stderr = directory / f"{self.name}.stderr"
        self.popen: subprocess.Popen[bytes] | None = None

    def __str__(self) -> str:
        return f"mentorbot {' '.join(self.args)}"

    def start(self) -> Process:
        with self.stdout.open("wb") as out, self.stderr.open("wb") as err:
            self.popen = subprocess.Popen(
                [sys.executable, "-m", "bot", *self.args],
                cwd=self.directory,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
            )
        return self

    def __enter__(self) -> Process:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        if self.popen is not None and self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait(10)

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def returncode(self) -> int | None:
        return None if self.popen is None else self.popen.poll()

    def output(self) -> str:
        texts = [p.read_text(errors="replace") for p in (self.stdout, self.stderr) if p.exists()]
        return "\n".join(texts)

    def send(self, number: int = signal.SIGTERM) -> None:
        assert self.popen is not None
        self.popen.send_signal(number)

    def stop(self, number: int = signal.SIGTERM, timeout: float = 10.0) -> tuple[int | None, float]:
        """Send the signal; the exit code (None: still running after `timeout`, then killed)
        and how long it took."""
        assert self.popen is not None
        began = time.monotonic()
        self.send(number)
        try:
            code: int | None = self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            code = None
            self.popen.kill()
            self.popen.wait(10)
        return code, time.monotonic() - began

    def health_url(self, timeout: float = 30.0) -> str:
        """The base URL of /healthz, /readyz and /metrics, as the process printed it."""
        pattern = re.compile(r"health on (http://\S+?)/healthz")

        def printed() -> str | None:
            match = pattern.search(self.output())
            return match[1] if match else None

        return str(eventually(printed, timeout=timeout, what="the health URL", process=self))

    def get_json(self, path: str) -> tuple[int, Any]:
        """GET a health endpoint: its status and JSON body (503 is an answer, not an error)."""
        try:
            with urllib.request.urlopen(self.health_url() + path, timeout=5) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")
