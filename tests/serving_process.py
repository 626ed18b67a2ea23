"""A `mentorbot` serving process started as a school runs it: a subprocess, observed from outside.

The test process hosts the fakes (Slack's Web API and Socket Mode, Discord's REST API and
gateway) and the database; the subprocess gets only environment variables, as in production,
and runs in a directory of the test's (no `.env` but the test's). Nothing of the serving code is
imported here: the process is judged by what it calls on the fakes, what its endpoints answer,
what it prints and how it exits.
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
from typing import Any, TypeVar

T = TypeVar("T")
HEALTH_LINE = re.compile(r"mentorbot: health on (http://\S+?)/healthz")
# The instant the test programme is loaded at (tests/conftest.py START); the clock then runs.
CLOCK = "2026-11-23T10:00:00+01:00"
KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")  # nothing else leaks in
# Short ticks: a process under test does in seconds what a school's does in minutes.
FAST = {
    "MENTORBOT_TICK_REMINDERS_SECONDS": "0.5",
    "MENTORBOT_TICK_CHECKINS_SECONDS": "0.5",
    "MENTORBOT_TICK_ALERTS_SECONDS": "0.5",
    "MENTORBOT_DELIVERY_INTERVAL_SECONDS": "0.5",
    "MENTORBOT_LEADER_RETRY_SECONDS": "1",
}


def base_env(database_url: str, **variables: str) -> dict[str, str]:
    """A clean environment: the developer's shell stays out, health on any free port of
    127.0.0.1, short ticks; `variables` add or override (an empty value means unset)."""
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
        **FAST,
    )
    env.update(variables)
    return env


def eventually(
    condition: Callable[[], T | None],
    *,
    timeout: float = 20.0,
    what: str = "",
    process: Process | None = None,
) -> T:
    """Poll until `condition()` is truthy (the process works on its own time); fail at once,
    with its output, if `process` dies meanwhile."""
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


class Process:
    """`mentorbot ARGS` (as `python -m bot`) in `directory`, its output kept in files (a pipe
    nobody reads would block it); killed on leaving the `with` block if still running."""

    def __init__(self, args: Sequence[str], env: dict[str, str], directory: Path, name: str = ""):
        self.args = list(args)
        self.env = env
        self.directory = directory
        base = name or "-".join(self.args)
        self.name, again = base, 1
        while (directory / f"{self.name}.stderr").exists():  # a restart keeps the first's log
            again += 1
            self.name = f"{base}-{again}"
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
        return self.start() if self.popen is None else self

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

    def stop(self, number: int = signal.SIGTERM, timeout: float = 10.0) -> tuple[int | None, float]:
        """Send the signal (SIGTERM: what systemd, Docker and Kubernetes send); the exit code
        (None: still running after `timeout`, then killed) and how long it took."""
        assert self.popen is not None
        began = time.monotonic()
        self.popen.send_signal(number)
        try:
            code: int | None = self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            code = None
            self.popen.kill()
            self.popen.wait(10)
        return code, time.monotonic() - began

    # -- the endpoints -------------------------------------------------------------------

    def health_url(self, timeout: float = 30.0) -> str:
        """The base URL of /healthz, /readyz and /metrics, as the process printed it."""

        def printed() -> str | None:
            match = HEALTH_LINE.search(self.output())
            return match[1] if match else None

        return eventually(printed, timeout=timeout, what="the health URL", process=self)

    def get(self, path: str) -> tuple[int, str]:
        """GET an endpoint: its status and body (503 is an answer, not an error)."""
        try:
            with urllib.request.urlopen(self.health_url() + path, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def get_json(self, path: str) -> tuple[int, Any]:
        status, body = self.get(path)
        return status, json.loads(body or "null")

    def readiness(self) -> dict[str, Any]:
        return dict(self.get_json("/readyz")[1])

    def wait_ready(self, timeout: float = 20.0) -> dict[str, Any]:
        return eventually(
            lambda: (r := self.readiness()).get("ready") and r,
            timeout=timeout,
            what="/readyz to be ready",
            process=self,
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


def serve(args: Sequence[str], env: dict[str, str], directory: Path, *, name: str = "") -> Process:
    """Started, and once every part runs (the health line is printed then)."""
    process = Process(args, env, directory, name).start()
    process.health_url()
    return process
