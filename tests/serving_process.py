"""A `mentorbot` serving process started as a school runs it: a subprocess, observed from outside.

The test process hosts the fakes (Slack's Web API, Discord's REST API and gateway) and the
database file; the subprocess gets only environment variables, as in production. Nothing of the
serving code is imported here.
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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
HEALTH_LINE = re.compile(r"mentorbot: health on (http://\S+)/healthz")
# Settings of ours and the platforms' that must not leak from the developer's shell into a test.
OWN_PREFIXES = ("MENTORBOT_", "SLACK_", "DISCORD_", "DATABASE_URL")
# Short ticks: a process under test does in seconds what a school's does in minutes.
FAST = {
    "MENTORBOT_TICK_REMINDERS_SECONDS": "0.5",
    "MENTORBOT_TICK_CHECKINS_SECONDS": "0.5",
    "MENTORBOT_TICK_ALERTS_SECONDS": "0.5",
    "MENTORBOT_DELIVERY_INTERVAL_SECONDS": "0.5",
    "MENTORBOT_LEADER_RETRY_SECONDS": "1",
    "MENTORBOT_HEALTH_HOST": "127.0.0.1",
    "MENTORBOT_HEALTH_PORT": "0",
    "MENTORBOT_LOG_LEVEL": "INFO",
}
T = TypeVar("T")


def wait_until(check: Callable[[], T | None], timeout: float, what: str) -> T:
    """Poll `check` until it returns something truthy (the process works on its own time)."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    log: Path
    health: str = ""

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"{self.health}{path}", timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def readiness(self) -> dict[str, Any]:
        return dict(json.loads(self.get("/readyz")[1]))

    def wait_ready(self, timeout: float = 20.0) -> dict[str, Any]:
        return wait_until(
            lambda: (r := self.readiness()).get("ready") and r, timeout, "/readyz to be ready"
        )

    def metric(self, name: str, **labels: str) -> float:
        """One sample of /metrics (0 when absent)."""
        wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
        sample = f"{name}{{{wanted}}}" if wanted else name
        for line in self.get("/metrics")[1].splitlines():
            key, _, value = line.rpartition(" ")
            if key == sample:
                return float(value)
        return 0.0

    def terminate(self, timeout: float = 10.0) -> tuple[int, float]:
        """SIGTERM, as systemd, Docker and Kubernetes send: (exit code, seconds to exit)."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout)
        return code, time.monotonic() - started

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(10)

    def stop_quietly(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


def environment(database_url: str, extra: Mapping[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(OWN_PREFIXES)}
    env.update(FAST)
    env["DATABASE_URL"] = database_url
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def start(
    args: list[str], database_url: str, directory: Path, env: Mapping[str, str], *, name: str = ""
) -> Served:
    """`mentorbot ARGS` in `directory` (no .env there but the test's), once /healthz answers."""
    log = directory / f"mentorbot-{name or args[0]}-{time.monotonic_ns()}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", *args],
            cwd=directory,
            env=environment(database_url, env),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    served = Served(process, log)

    def health_url() -> str | None:
        if process.poll() is not None:
            raise AssertionError(f"mentorbot {args} exited {process.returncode}:\n{served.output()}")
        found = HEALTH_LINE.search(served.output())
        return found.group(1) if found else None

    served.health = wait_until(health_url, 30, "the health endpoint")
    return served
