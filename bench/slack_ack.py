"""Slack as a school runs it: `mentorbot slack --http` in its own process against the tests'
fake Slack (in a third process, bench/fake_slack_process.py), beside a bare Bolt app in its own
process (bench/slack_bare.py, the same HTTP host).

1. Acks: signed slash commands from 1 and then 20 concurrent clients, in halves taken in turn
   (bare, mentorbot, bare, mentorbot, … `--pairs` of them); before each next half,
   mentorbot's follow-ups (its answers on the response_url) are drained, so its background
   work never slows the bare app's half. The ratios p50 / p99 come from this one run.
2. A burst far beyond MENTORBOT_SLACK_WORK_QUEUE: every request answered (busy or served), how
   long the queue takes to drain, and the process's memory before, at its peak and after.
3. Start-up: seconds from exec to `/healthz` answering, mentorbot and the bare app, in turn.

Targets (printed beside the figures, never asserted): 20 clients p50 ≤ 1.3× and p99 ≤ 1.5× the
bare app's; a burst all answered with memory back near its baseline; start-up ≤ 0.35 s to
/healthz (figures from a 2-core machine; compare the ratio on a slower or busier one).
Run from the repo root: `.venv/bin/python bench/slack_ack.py [--requests N]`.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.slack.payloads import SignedClient, slash_command  # noqa: E402

SECRET = "bench-signing-secret"
STUDENTS = 20
COMMANDS = (("/book", ""), ("/sessions", ""), ("/mentorbot", "help"), ("/availability", ""))
BUSY = ("Trop de demandes", "Too many requests")  # slack.busy, in French and in English
HEADER = (
    "email,name,role,timezone,locale,slack_id,discord_id,mentor_email,"
    "session_minutes,sessions_per_week,path"
)


class FakeSlack:
    """bench/fake_slack_process.py: the tests' fake Slack, in its own process."""

    def __init__(self) -> None:
        script = str(ROOT / "bench" / "fake_slack_process.py")
        self.popen = subprocess.Popen([sys.executable, script], stdout=subprocess.PIPE, text=True)
        assert self.popen.stdout is not None
        self.base = self.popen.stdout.readline().strip()
        self.api_url = f"{self.base}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.base}/respond/{name}"

    def count(self, prefix: str, contains: str = "") -> int:
        query = urllib.parse.urlencode({"prefix": prefix, "contains": contains})
        with urllib.request.urlopen(f"{self.api_url}bench.count?{query}", timeout=30) as answer:
            return int(json.loads(answer.read())["count"])

    def stop(self) -> None:
        self.popen.kill()
        self.popen.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def roster(folder: Path) -> Path:
    rows = [HEADER, "mentor@bench.example,Mentor,mentor,Europe/Paris,fr,U0MENTOR,,,,,"]
    rows += [
        f"s{n}@bench.example,Student {n},student,Europe/Paris,fr,U0S{n:02d},,"
        f"mentor@bench.example,30,1,"
        for n in range(STUDENTS)
    ]
    path = folder / "roster.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


class Served:
    """A process serving Slack over HTTP on `port`, killed on `stop`."""

    def __init__(self, args: Sequence[str], env: dict[str, str], folder: Path, port: int):
        self.port, self.url = port, f"http://127.0.0.1:{port}"
        log = (folder / f"{Path(args[0]).stem}-{port}.log").open("wb")
        self.started = time.perf_counter()
        self.popen = subprocess.Popen(
            [sys.executable, *args], env=env, cwd=folder, stdout=log, stderr=log
        )

    def wait_health(self, url: str, timeout: float = 60) -> float:
        """Seconds from exec to the first 200 of `url`."""
        while time.perf_counter() - self.started < timeout:
            if self.popen.poll() is not None:
                raise SystemExit(f"{self.popen.args!r} exited {self.popen.returncode}")
            try:
                with urllib.request.urlopen(url, timeout=1) as answer:
                    if answer.status == 200:
                        return time.perf_counter() - self.started
            except OSError:
                time.sleep(0.002)
        raise SystemExit(f"{url} did not answer within {timeout} s")

    def rss_kb(self, field: str = "VmRSS") -> int:
        for line in Path(f"/proc/{self.popen.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        return 0

    def cpu_seconds(self) -> float:
        """User and system CPU the process has used so far."""
        fields = Path(f"/proc/{self.popen.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.popen.terminate()
        try:
            self.popen.wait(15)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()


def environment(folder: Path, fake: FakeSlack, **extra: str) -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "TMPDIR", "PYTHONPATH")  # PYTHONPATH: another checkout
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        DATABASE_URL=f"sqlite:///{folder / 'bench.db'}",
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.api_url,
        SLACK_ADVISORS_CHANNEL="C0ADVISORS",
        MENTORBOT_TIMEZONE="Europe/Paris",
        MENTORBOT_LOCALE="fr",
        MENTORBOT_HEALTH_HOST="127.0.0.1",
        MENTORBOT_LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def prepare(folder: Path, env: dict[str, str]) -> None:
    """Migrated, the roster imported, the mentor's week open: with the product's own CLI."""
    run = [sys.executable, "-m", "bot"]
    subprocess.run([*run, "db", "upgrade"], env=env, cwd=folder, check=True, capture_output=True)
    subprocess.run(
        [*run, "roster", "import", str(roster(folder))],
        env=env,
        cwd=folder,
        check=True,
        capture_output=True,
    )
    week = "".join(f"/availability add {d} 09:00-18:00\n" for d in ("mon", "tue", "wed", "thu"))
    subprocess.run(
        [*run, "console", "--as", "mentor@bench.example", "--no-scheduler"],
        env=env,
        cwd=folder,
        input=week.encode(),
        check=True,
        capture_output=True,
    )


def mentorbot(folder: Path, fake: FakeSlack, **extra: str) -> tuple[Served, float]:
    port, health = free_port(), free_port()
    env = environment(folder, fake, MENTORBOT_HEALTH_PORT=str(health), **extra)
    served = Served(["-m", "bot", "slack", "--http", "--port", str(port)], env, folder, port)
    healthy = served.wait_health(f"http://127.0.0.1:{health}/healthz")
    # /healthz answers before the Slack listener is up (adapters/startup.py); commands are
    # sent once /readyz says ready, as a load balancer would route them.
    served.wait_health(f"http://127.0.0.1:{health}/readyz")
    return served, healthy


def bare(folder: Path, fake: FakeSlack, **_: str) -> tuple[Served, float]:
    port = free_port()
    env = environment(folder, fake, PYTHONPATH=str(ROOT))
    served = Served([str(ROOT / "bench" / "slack_bare.py"), str(port)], env, folder, port)
    return served, served.wait_health(f"{served.url}/healthz")


def clients_send(
    served: Served, fake: FakeSlack, clients: int, per_client: int, tag: str
) -> list[float]:
    """`clients` threads, each sending `per_client` commands one after the other; ack times."""
    http = SignedClient(f"{served.url}/slack/events", SECRET)
    latencies: list[float] = []
    lock, start = threading.Lock(), threading.Barrier(clients)

    def client(number: int) -> None:
        start.wait()
        for i in range(per_client):
            command, text = COMMANDS[i % len(COMMANDS)]
            url = fake.response_url(f"{tag}-{number}-{i}")
            answer = http.form(slash_command(f"U0S{number % STUDENTS:02d}", command, text, url))
            assert answer.status == 200, answer
            with lock:
                latencies.append(answer.seconds)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def answered(fake: FakeSlack, tag: str) -> int:
    return fake.count(f"respond/{tag}-")


def drain(fake: FakeSlack, tag: str, expected: int, timeout: float = 300) -> float:
    started = time.perf_counter()
    while answered(fake, tag) < expected and time.perf_counter() - started < timeout:
        time.sleep(0.05)
    return time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def ack_level(
    ours: tuple[Served, FakeSlack],
    theirs: tuple[Served, FakeSlack],
    clients: int,
    total: int,
    pairs: int = 2,
) -> bool:
    """`total` commands to each app, in `pairs` pairs of halves (bare, mentorbot) in turn."""
    per_half = max(1, total // clients // pairs)
    timed: dict[str, list[float]] = {"bare": [], "mentorbot": []}
    cpu = 0.0  # mentorbot's, acks and the work after them
    for half, (name, (served, fake)) in enumerate([("bare", theirs), ("mentorbot", ours)] * pairs):
        tag = f"c{clients}h{half}"
        before = served.cpu_seconds()
        timed[name] += clients_send(served, fake, clients, per_half, tag)
        if name == "mentorbot":  # its follow-ups drained before the next half starts
            drain(fake, tag, clients * per_half)
            cpu += served.cpu_seconds() - before
    level = f"{clients} client{'s' * (clients > 1)}"
    return report(level, timed["mentorbot"], timed["bare"], cpu / len(timed["mentorbot"]))


def report(level: str, ours: list[float], theirs: list[float], cpu: float) -> bool:
    p50, p99 = percentile(ours, 50), percentile(ours, 99)
    b50, b99 = percentile(theirs, 50), percentile(theirs, 99)
    ok = p50 <= 1.3 * b50 and p99 <= 1.5 * b99
    print(
        f"ack {level:>10}: mentorbot p50 {p50 * 1000:6.1f} ms p99 {p99 * 1000:6.1f} ms | bare "
        f"p50 {b50 * 1000:6.1f} ms p99 {b99 * 1000:6.1f} ms | ratio p50 {p50 / b50:4.2f}x "
        f"(target ≤ 1.3x) p99 {p99 / b99:4.2f}x (target ≤ 1.5x) {'PASS' if ok else 'FAIL'}; "
        f"mentorbot CPU {cpu * 1000:.2f} ms per command, its answer included"
    )
    return ok


def burst(ours: tuple[Served, FakeSlack], clients: int, per_client: int) -> bool:
    served, fake = ours
    before, cpu = served.rss_kb(), served.cpu_seconds()
    started = time.perf_counter()
    clients_send(served, fake, clients, per_client, "burst")
    acked = time.perf_counter() - started
    sent = clients * per_client
    drained = drain(fake, "burst", sent)
    cpu = served.cpu_seconds() - cpu
    busy = sum(fake.count("respond/burst-", text) for text in BUSY)
    time.sleep(1.0)  # the pool's threads and the recorder settle
    after, peak = served.rss_kb(), served.rss_kb("VmHWM")
    got = answered(fake, "burst")
    ok = got == sent and after <= before * 1.1 + 2048
    print(
        f"burst {clients}x{per_client}: {got}/{sent} answered ({busy} busy, at once), acks in "
        f"{acked:.1f} s, last answer {drained:.1f} s after the last ack, {cpu:.1f} CPU s; RSS "
        f"{before // 1024} MB"
        f" before, peak {peak // 1024} MB, {after // 1024} MB after (target: all answered, back"
        f" near baseline) {'PASS' if ok else 'FAIL'}"
    )
    return ok


def startup(folder: Path, fake: FakeSlack, runs: int) -> bool:
    """In turn, so that a drift of the machine's speed hits both alike."""
    timed: dict[str, list[float]] = {"mentorbot": [], "bare": []}
    for _ in range(runs):
        for name, start in (("mentorbot", mentorbot), ("bare", bare)):
            served, seconds = start(folder, fake)
            timed[name].append(seconds)
            served.stop()
    ours, theirs = median(timed["mentorbot"]), median(timed["bare"])
    ok = ours <= 0.35
    print(
        f"start-up to /healthz, median of {runs}: mentorbot {ours:.2f} s, bare Bolt "
        f"{theirs:.2f} s, ratio {ours / theirs:.2f}x (target ≤ 0.35 s; the issue's machine ran "
        f"bare Bolt in 0.11 s, so ≤ 3.2x where it is slower) {'PASS' if ok else 'FAIL'}"
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="commands per level and app")
    parser.add_argument("--burst", type=int, default=200, help="commands per client in a burst")
    parser.add_argument("--startups", type=int, default=5, help="start-up runs of each")
    parser.add_argument("--pairs", type=int, default=2, help="pairs of halves per level")
    args = parser.parse_args()
    ours_fake, bare_fake = FakeSlack(), FakeSlack()
    try:
        with tempfile.TemporaryDirectory() as name:
            run(Path(name), ours_fake, bare_fake, args)
    finally:  # the fakes are processes too: never left behind
        ours_fake.stop()
        bare_fake.stop()


def run(folder: Path, ours_fake: FakeSlack, bare_fake: FakeSlack, args: argparse.Namespace) -> None:
    print(f"load average at the start: {_load()}")
    prepare(folder, environment(folder, ours_fake))
    startup(folder, ours_fake, args.startups)
    ours, _ = mentorbot(folder, ours_fake)
    theirs, _ = bare(folder, bare_fake)
    try:
        for served, fake in ((ours, ours_fake), (theirs, bare_fake)):  # warm-up
            clients_send(served, fake, 4, 10, "warm")
        drain(ours_fake, "warm", 40)
        pairs = (ours, ours_fake), (theirs, bare_fake)
        for clients in (1, 20):
            ack_level(*pairs, clients, args.requests, args.pairs)
        burst(pairs[0], 10, args.burst)
    finally:
        ours.stop()
        theirs.stop()
    print(f"load average at the end: {_load()} (on {os.cpu_count()} cores)")


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
