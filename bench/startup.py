"""Start-up of a serving process: seconds from exec to `/healthz` answering, and to the first
slash command answered.

`mentorbot slack --http` (and `mentorbot run` with Slack configured, the production command)
against the tests' fake Slack in its own process (bench/fake_slack_process.py), on a SQLite
database migrated beforehand with `mentorbot db upgrade` (so the start-up's migration check
finds it at head, as a school's does on every restart but the first) holding bench/slack_ack.py's
small roster, beside a bare Bolt app behind the same HTTP host (bench/slack_bare.py) and a bare
`python -c pass`. What a person feels is timed too, so that an import deferred past `/healthz`
still counts: from exec to a student's first `/book` answered on its response_url (sent as soon
as the Slack port takes connections; the ack comes first), and, for bare Bolt, to its first ack.
Runs are paired and taken in turn (mentorbot, bare Bolt, python, …), so a drift of the
machine's speed hits all alike.

Target (printed, never asserted): ≤ 0.35 s to /healthz on the issue's machine, where bare Bolt
started in 0.11 s; on a slower or busier machine compare the ratio, ≤ 3.2× bare Bolt.
`--importtime` adds the heaviest imports of one start of `mentorbot slack`, up to the line it
prints once it serves (Python's own import log), to find what to defer next. Also timed: a
process that only imports what any Slack server on this stack must (Bolt, SQLAlchemy's ORM,
pydantic-settings) and exits, the floor under whatever is deferred; one that imports only what
/healthz needs once the rest waits until it answers (pydantic-settings, sqlite3, http.server);
and CPU seconds beside the wall clock's, which a loaded machine's other work changes much less.
Run from the repo root: `.venv/bin/python bench/startup.py [--runs N] [--importtime]`.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent))

from slack_ack import SECRET, FakeSlack, Served, bare, environment, free_port, prepare

from tests.slack.payloads import SignedClient, slash_command

TARGET, BARE_RATIO = 0.35, 3.2
HEALTH_LINE = "mentorbot: health on "
IMPORT = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)$")

Start = Callable[[Path, FakeSlack], tuple[Served, float]]


def mentorbot(command: str, code: Path | None = None, *, until: str = "health") -> Start:
    """`mentorbot COMMAND`, this checkout's or (`code`) another's, for a before/after pair;
    timed until /healthz answers or (`until="answer"`) its first `/book` is answered."""

    def start(folder: Path, fake: FakeSlack) -> tuple[Served, float]:
        port, health = free_port(), free_port()
        extra = {"PYTHONPATH": str(code)} if code else {}
        env = environment(folder, fake, MENTORBOT_HEALTH_PORT=str(health), **extra)
        args = ["-m", "bot", command, "--http", "--port", str(port), "--no-scheduler"]
        served = Served(args, env, folder, port)
        if until == "answer":
            return served, first_answer(served, fake)
        return served, served.wait_health(f"http://127.0.0.1:{health}/healthz")

    return start


_tags = iter(range(1_000_000))


def first_ack(served: Served, fake: FakeSlack, timeout: float = 60) -> str:
    """A student's `/book`, sent until the Slack port takes it and acks: its response_url."""
    client = SignedClient(f"{served.url}/slack/events", SECRET)
    url = fake.response_url(f"startup-{next(_tags)}")
    while time.perf_counter() - served.started < timeout:
        if served.popen.poll() is not None:
            raise SystemExit(f"{served.popen.args!r} exited {served.popen.returncode}")
        try:
            if client.form(slash_command("U0S00", "/book", "", url)).status == 200:
                return url
        except OSError:  # not listening yet
            pass
        time.sleep(0.002)
    raise SystemExit(f"{served.url} did not ack within {timeout} s")


def first_answer(served: Served, fake: FakeSlack, timeout: float = 60) -> float:
    """Seconds from exec to the first `/book`'s answer reaching the fake's response_url."""
    tag = first_ack(served, fake, timeout).rsplit("/", 1)[1]
    while fake.count(f"respond/{tag}") == 0:
        if time.perf_counter() - served.started > timeout:
            raise SystemExit(f"no answer on the response_url within {timeout} s")
        time.sleep(0.002)
    return time.perf_counter() - served.started


def bare_acked(folder: Path, fake: FakeSlack) -> tuple[Served, float]:
    """Bare Bolt from exec to its first slash command acked (it answers nothing more)."""
    port = free_port()
    env = environment(folder, fake, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    served = Served([str(Path(__file__).with_name("slack_bare.py")), str(port)], env, folder, port)
    first_ack(served, fake)
    return served, time.perf_counter() - served.started


def python_running(code: str) -> Start:
    """A process that runs `code` and exits: its seconds and CPU from exec to its exit."""

    def start(folder: Path, fake: FakeSlack) -> tuple[Served, float]:
        started = time.perf_counter()
        popen = subprocess.Popen([sys.executable, "-c", code], cwd=folder)
        _, status, usage = os.wait4(popen.pid, 0)
        popen.returncode = os.waitstatus_to_exitcode(status)
        assert popen.returncode == 0, code
        return _Done(usage.ru_utime + usage.ru_stime), time.perf_counter() - started

    return start


# What any process serving Slack with this stack imports: Bolt and its HTTP host, SQLAlchemy's
# ORM and pydantic-settings; the floor under mentorbot's start-up, whatever it defers.
FLOOR = "import http.server, slack_bolt, sqlalchemy.orm, pydantic_settings"
# What answering /healthz needs once the rest is deferred past it (adapters/startup.py): the
# settings' library, the database's driver for the migration check, the HTTP server.
HEALTH_FLOOR = "import http.server, sqlite3, pydantic_settings"


class _Done(Served):
    def __init__(self, cpu: float) -> None:  # already exited: nothing to stop
        self.cpu = cpu

    def cpu_seconds(self) -> float:
        return self.cpu

    def stop(self) -> None:
        pass


def cpu_seconds(served: Served) -> float:
    """The process's CPU time so far (user and system): what a loaded machine's other work
    changes much less than the wall clock's seconds."""
    if isinstance(served, _Done):
        return served.cpu
    fields = Path(f"/proc/{served.popen.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_runs(folder: Path, fake: FakeSlack, starts: dict[str, Start], runs: int) -> None:
    timed: dict[str, list[float]] = {name: [] for name in starts}
    cpu: dict[str, list[float]] = {name: [] for name in starts}
    for _ in range(runs):
        for name, start in starts.items():
            served, seconds = start(folder, fake)
            timed[name].append(seconds)
            cpu[name].append(cpu_seconds(served))
            served.stop()
    yardstick, cpu_yardstick = median(timed["bare Bolt"]), median(cpu["bare Bolt"])
    print(f"start-up, {runs} paired runs each (median, min–max; CPU seconds until then):")
    for name, seconds in timed.items():
        middle, used = median(seconds), median(cpu[name])
        line = (
            f"  {name:>18}: {middle:5.3f} s ({min(seconds):.3f}–{max(seconds):.3f}), "
            f"{middle / yardstick:4.2f}x bare Bolt; CPU {used:5.2f} s, "
            f"{used / cpu_yardstick:4.2f}x"
        )
        if name.startswith(("mentorbot", "before")) and "/book" not in name:
            ok = middle <= TARGET or middle <= BARE_RATIO * yardstick
            line += (
                f" (target ≤ {TARGET} s, ≤ {BARE_RATIO}x bare Bolt on a slower machine) "
                f"{'PASS' if ok else 'FAIL'}"
            )
        print(line)


def heaviest_imports(folder: Path, fake: FakeSlack, top: int) -> None:
    port = free_port()
    env = environment(folder, fake, MENTORBOT_HEALTH_PORT="0", PYTHONPROFILEIMPORTTIME="1")
    args = ["-m", "bot", "slack", "--http", "--port", str(port), "--no-scheduler"]
    served = Served(args, env, folder, port)
    log = folder / f"{Path(args[0]).stem}-{port}.log"  # where Served writes its output
    deadline = time.monotonic() + 60
    while HEALTH_LINE not in log.read_text(errors="replace"):
        if time.monotonic() > deadline or served.popen.poll() is not None:
            raise SystemExit(f"mentorbot did not serve:\n{log.read_text(errors='replace')}")
        time.sleep(0.05)
    served.stop()
    text = log.read_text(errors="replace")
    rows = [IMPORT.match(line) for line in text[: text.index(HEALTH_LINE)].splitlines()]
    found = [(int(m[2]), len(m[3]) // 2, m[4]) for m in rows if m is not None]
    packages = {name.split(".")[0] for _, _, name in found}
    print(f"imported before serving: {len(found)} modules from {len(packages)} packages")
    print(f"heaviest {top} (cumulative µs, depth, module):")
    for cumulative, depth, name in sorted(found, reverse=True)[:top]:
        print(f"  {cumulative:>9,} {depth:>3}  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="start-ups of each (default 7)")
    parser.add_argument("--importtime", action="store_true", help="print the heaviest imports")
    parser.add_argument("--top", type=int, default=40, help="how many imports to print")
    parser.add_argument(
        "--against", type=Path, metavar="DIR", help="also `mentorbot slack` from DIR (`before`)"
    )
    args = parser.parse_args()
    fake = FakeSlack()
    try:
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            prepare(folder, environment(folder, fake))
            before = args.against
            starts: dict[str, Start] = {
                "mentorbot slack": mentorbot("slack"),
                "mentorbot run": mentorbot("run"),
                **({"before: slack": mentorbot("slack", before)} if before else {}),
                "slack: /book answered": mentorbot("slack", until="answer"),
                **(
                    {"before: /book answered": mentorbot("slack", before, until="answer")}
                    if before
                    else {}
                ),
                "bare Bolt": bare,
                "bare Bolt: first ack": bare_acked,
                "floor: the imports": python_running(FLOOR),
                "floor: /healthz's": python_running(HEALTH_FLOOR),
                "python -c pass": python_running("pass"),
            }
            timed_runs(folder, fake, starts, args.runs)
            if args.importtime:
                heaviest_imports(folder, fake, args.top)
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
