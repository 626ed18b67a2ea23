"""Slack ack latency: signed slash commands over HTTP, mentorbot's app against a bare Bolt app.

Both apps run in this process on 127.0.0.1 behind the same HTTP host (adapters/slack/server.py),
with their Web API pointed at the tests' fake Slack. The bare app's only listener acks; mentorbot
acks, then runs the command in the core (SQLite), answers on the response_url and wakes the
outbox. Each level (1, then 20 concurrent clients) runs on both apps, interleaved, after a
warm-up. What is timed is the HTTP round trip of each command: Slack's 3-second ack.

Targets (printed PASS/FAIL, never asserted): every ack < 3 s; mentorbot's p50 ≤ 2× and p99 ≤ 3×
the bare app's. Run from the repo root: `.venv/bin/python bench/slack_latency.py`.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import slack_bolt
from pydantic import SecretStr
from slack_bolt import Ack
from slack_sdk import WebClient

from adapters.bootstrap import App, bootstrap
from adapters.delivery import DeliveryLoop
from adapters.slack.app import build_slack_app
from adapters.slack.deliver import SlackDeliverer, delivery_client
from adapters.slack.server import SlackHTTPServer, start_http
from bot.services.roster import import_roster
from bot.settings import Settings
from tests.slack.fake_slack import FakeSlack
from tests.slack.payloads import SignedClient, slash_command

SECRET = "bench-signing-secret"
STUDENTS = 20
HEADER = (
    "email,name,role,timezone,locale,slack_id,discord_id,mentor_email,"
    "session_minutes,sessions_per_week,path"
)
COMMANDS = (("/book", ""), ("/sessions", ""), ("/mentorbot", "help"), ("/availability", ""))
ACK_LIMIT = 3.0


def roster() -> str:
    rows = [HEADER, "mentor@bench.example,Mentor,mentor,Europe/Paris,fr,U0MENTOR,,,,,"]
    rows += [
        f"s{n}@bench.example,Student {n},student,Europe/Paris,fr,U0S{n:02d},,"
        f"mentor@bench.example,30,1,Web"
        for n in range(STUDENTS)
    ]
    return "\n".join(rows) + "\n"


def mentorbot(folder: Path, fake: FakeSlack) -> tuple[App, slack_bolt.App, DeliveryLoop]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=f"sqlite:///{folder / 'bench.db'}",
        slack_bot_token=SecretStr("xoxb-bench"),
        slack_signing_secret=SecretStr(SECRET),
        slack_api_url=fake.api_url,
        slack_advisors_channel="C0ADVISORS",
    )
    app = bootstrap(settings)
    with app.database.uow() as uow:
        import_roster(uow, roster(), "Europe/Paris", "fr")
        uow.commit()
    mentor = app.core.person_by_email("mentor@bench.example")
    assert mentor is not None
    for day in ("mon", "tue", "wed", "thu", "fri"):
        app.core.run(mentor.id, "availability", f"add {day} 09:00-18:00")
    loop = DeliveryLoop(app.outbox_worker(SlackDeliverer(app, delivery_client(app)))).start()
    return app, build_slack_app(app, on_handled=loop.wake), loop


def bare(fake: FakeSlack) -> slack_bolt.App:
    app = slack_bolt.App(
        client=WebClient(token="xoxb-bench", base_url=fake.api_url), signing_secret=SECRET
    )

    @app.command(re.compile(r"^/"))
    def only_ack(ack: Ack) -> None:
        ack()

    return app


def run_level(
    server: SlackHTTPServer, fake: FakeSlack, clients: int, per_client: int
) -> list[float]:
    """`clients` threads, each sending `per_client` commands one after the other."""
    http = SignedClient(f"{server.url}/slack/events", SECRET)
    latencies: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def client(number: int) -> None:
        start.wait()
        for i in range(per_client):
            command, text = COMMANDS[i % len(COMMANDS)]
            url = fake.response_url(f"c{number}-{i}")
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


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def report(level: str, ours: list[float], theirs: list[float]) -> bool:
    p50, p99 = percentile(ours, 50), percentile(ours, 99)
    b50, b99 = percentile(theirs, 50), percentile(theirs, 99)
    worst = max(ours)
    ok = worst < ACK_LIMIT and p50 <= 2 * b50 and p99 <= 3 * b99
    print(
        f"{level:>11} | mentorbot p50 {p50 * 1000:6.1f} ms p99 {p99 * 1000:6.1f} ms "
        f"max {worst * 1000:6.1f} ms | bare p50 {b50 * 1000:6.1f} ms p99 {b99 * 1000:6.1f} ms | "
        f"ratio p50 {p50 / b50:4.2f}x p99 {p99 / b99:4.2f}x | {'PASS' if ok else 'FAIL'}"
    )
    return ok


def wait_for_answers(fake: FakeSlack, expected: int, timeout: float = 120) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if len([c for c in fake.calls if c.method.startswith("respond/")]) >= expected:
            break
        time.sleep(0.05)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="commands per level and app")
    args = parser.parse_args()
    ours_fake, bare_fake = FakeSlack().start(), FakeSlack().start()
    with tempfile.TemporaryDirectory() as folder:
        app, ours_bolt, loop = mentorbot(Path(folder), ours_fake)
        servers = {"mentorbot": start_http(ours_bolt), "bare": start_http(bare(bare_fake))}
        fakes = {"mentorbot": ours_fake, "bare": bare_fake}
        sent = 0
        try:
            for name in ("bare", "mentorbot"):  # warm-up: connections, caches, auth.test
                run_level(servers[name], fakes[name], 4, 10)
            sent += 40
            results: list[bool] = []
            for clients in (1, 20):
                per_client = max(1, args.requests // clients)
                timed: dict[str, list[float]] = {}
                for name in ("bare", "mentorbot", "bare", "mentorbot"):
                    half = max(1, per_client // 2)
                    timed.setdefault(name, []).extend(
                        run_level(servers[name], fakes[name], clients, half)
                    )
                sent += 2 * clients * max(1, per_client // 2)
                label = f"{clients} client{'s' if clients > 1 else ''}"
                results.append(report(label, timed["mentorbot"], timed["bare"]))
            drained = wait_for_answers(ours_fake, sent)
            answered = len([c for c in ours_fake.calls if c.method.startswith("respond/")])
            print(
                f"mentorbot answered {answered}/{sent} commands on their response_url "
                f"({drained:.1f} s after the last ack)"
            )
            print("targets: every ack < 3 s, p50 ≤ 2x and p99 ≤ 3x the bare app:", end=" ")
            print("PASS" if all(results) else "FAIL")
        finally:
            for server in servers.values():
                server.shutdown()
            loop.stop()
            app.close()
            ours_fake.stop()
            bare_fake.stop()


if __name__ == "__main__":
    main()
