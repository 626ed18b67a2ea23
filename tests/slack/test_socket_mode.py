"""Socket Mode: the real Bolt app behind `SocketModeService`, against a fake Socket Mode server.

Envelopes are Slack's own (slash commands, Events API with retries, interactivity); what the
bot calls goes to the fake Web API. Then the network misbehaves: `disconnect`, a TCP FIN with no
close frame, a server that stops answering pings. The whole `mentorbot slack` process is
tested the same way at the end of this file, as a subprocess.
"""

from __future__ import annotations

import logging
import os
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from adapters.bootstrap import App
from adapters.service import StartupRefused
from adapters.slack.app import build_slack_app
from adapters.slack.socket_mode import SocketModeService, backoff
from adapters.slack.targets import Background
from bot.clock import ManualClock
from bot.i18n import Renderer
from bot.replies import Text
from tests.conftest import Programme, fresh_sqlite, load_programme
from tests.serving_process import Process, base_env, eventually, serve
from tests.slack import payloads
from tests.slack.conftest import LEA, TOKEN, said, slack_app, texts
from tests.slack.fake_slack import FakeSlack
from tests.slack.fake_socket_mode import FakeSocketMode

APP_TOKEN = "xapp-1-A0MENTORBOT-test"


@dataclass
class Socket:
    app: App
    service: SocketModeService
    slack: FakeSlack
    server: FakeSocketMode
    acked: list[float]  # seconds from envelope to ack, as the service reports them

    def wait_ready(self, ready: bool = True, timeout: float = 10.0) -> float:
        """Seconds until `status()["ready"]` is `ready`."""
        started = time.monotonic()
        self.server.wait(
            lambda: True if self.service.status()["ready"] is ready else None, timeout, "ready"
        )
        return time.monotonic() - started

    def command(self, user: str, command: str, text: str, name: str) -> str:
        url = self.slack.response_url(name)
        fields = payloads.slash_command(user, command, text, url)
        return self.server.send("slash_commands", fields, accepts_response_payload=True)


@pytest.fixture
def fake_socket() -> Iterator[FakeSocketMode]:
    server = FakeSocketMode().start()
    yield server
    server.stop()


@pytest.fixture
def socket(
    sqlite_programme: Programme, fake_slack: FakeSlack, fake_socket: FakeSocketMode
) -> Iterator[Socket]:
    fake_slack.socket_mode_url = fake_socket.url
    app = slack_app(sqlite_programme, fake_slack, slack_app_token=APP_TOKEN)
    background = Background(4)
    acked: list[float] = []
    bolt = build_slack_app(app, background=background)
    service = SocketModeService(bolt, APP_TOKEN, on_ack=acked.append)
    harness = Socket(app, service, fake_slack, fake_socket, acked)
    service.start()
    try:
        fake_socket.wait_for_connection(1)
        harness.wait_ready()
        yield harness
    finally:
        service.stop(5)
        background.shutdown()


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def test_hello_then_a_slash_command_is_acked_at_once_and_answered(socket: Socket) -> None:
    [opened] = socket.slack.calls_to("apps.connections.open")
    assert opened.headers["authorization"] == f"Bearer {APP_TOKEN}"  # the app token, not xoxb
    assert [c.path for c in socket.server.connections] == ["/link/?ticket=1"]  # one, not two
    started = time.monotonic()
    envelope = socket.command(LEA, "/sessions", "", "sessions")
    assert socket.server.wait_for_ack(envelope) == {"envelope_id": envelope}
    assert time.monotonic() - started < 1.0
    assert len(socket.acked) == 1 and 0 <= socket.acked[0] < 1.0
    answer = socket.slack.wait_for("respond/sessions")[-1]
    assert texts(answer), answer.args
    assert socket.service.status()["ready"] is True


def test_a_dm_and_its_retry_are_acked_and_answered_once(socket: Socket) -> None:
    event = payloads.event_callback(payloads.direct_message(LEA, "Bonjour"), "Ev0SOCKET")
    first = socket.server.send("events_api", event, retry_attempt=0, retry_reason="")
    socket.server.wait_for_ack(first)
    socket.slack.wait_for("chat.postMessage")
    retry = socket.server.send("events_api", event, retry_attempt=1, retry_reason="timeout")
    socket.server.wait_for_ack(retry)
    other = payloads.event_callback(payloads.direct_message(LEA, "Autre chose"), "Ev0OTHER")
    socket.server.wait_for_ack(socket.server.send("events_api", other, retry_attempt=0))
    posts = socket.slack.wait_for("chat.postMessage", count=2)
    time.sleep(0.2)  # a third post (the retry handled again) would come as fast as the second
    assert [post.channel for post in posts] == [f"D{LEA}", f"D{LEA}"]
    assert len(socket.slack.calls_to("chat.postMessage")) == 2


def test_a_button_is_acked_and_runs_as_whoever_clicked(socket: Socket) -> None:
    url = socket.slack.response_url("click")
    envelope = socket.server.send(
        "interactive", payloads.block_action(LEA, "/sessions", response_url=url)
    )
    assert socket.server.wait_for_ack(envelope) == {"envelope_id": envelope}
    assert texts(socket.slack.wait_for("respond/click")[-1])


def test_an_event_the_bot_has_no_listener_for_is_acked_all_the_same(socket: Socket) -> None:
    """Bolt answers 404 and its adapter stays silent: Slack would send it again and again."""
    reaction = {"type": "reaction_added", "user": LEA, "reaction": "tada", "event_ts": "1.2"}
    envelope = socket.server.send("events_api", payloads.event_callback(reaction, "Ev0TADA"))
    assert socket.server.wait_for_ack(envelope) == {"envelope_id": envelope}


def test_disconnect_is_followed_by_a_new_connection_at_once(socket: Socket) -> None:
    first = socket.server.latest()
    started = time.monotonic()
    socket.server.disconnect("refresh_requested")
    second = socket.server.wait_for_connection(2, timeout=5)
    assert time.monotonic() - started < 2.0
    assert second.path != first.path  # a fresh URL from apps.connections.open
    socket.wait_ready()
    envelope = socket.command(LEA, "/sessions", "", "after")
    socket.server.wait_for_ack(envelope)
    socket.slack.wait_for("respond/after")
    assert first.close_code == 1000  # the old connection closed properly
    assert len(socket.server.connections) == 2  # and only one new one opened


def test_a_dropped_connection_is_back_within_seconds_without_spinning(socket: Socket) -> None:
    """A TCP FIN without a close frame, then an outage: Slack's server refuses connections
    for three seconds. Not ready meanwhile; tries spaced out (0.5 s, 1 s, 2 s, … at most 4 s),
    not every half second; back soon after it accepts; no core spun."""
    socket.server.refusing = True
    cpu, started = cpu_seconds(), time.monotonic()
    socket.server.latest().drop()
    assert socket.wait_ready(False, timeout=5) < 1.0
    time.sleep(3.0)  # the outage itself: reconnection attempts fail meanwhile
    assert socket.service.status()["ready"] is False
    socket.server.refusing = False
    socket.server.wait_for_connection(2, timeout=10)
    socket.wait_ready(timeout=10)
    assert time.monotonic() - started < 10.0
    assert cpu_seconds() - cpu < 1.0
    assert 1 <= socket.server.refused <= 4  # at 0, 0.5 and 1.5 s; without a backoff, 6
    envelope = socket.command(LEA, "/sessions", "", "back")
    socket.server.wait_for_ack(envelope)


def test_the_backoff_retries_a_blip_at_once_and_an_outage_every_few_seconds() -> None:
    assert [backoff(n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


def test_a_server_that_stops_answering_pings_is_left_within_5_seconds(socket: Socket) -> None:
    first = socket.server.latest()
    cpu, started = cpu_seconds(), time.monotonic()
    first.answer_pings = False
    socket.server.wait(lambda: first.ended_at, 6.0, "the silent connection closed by the bot")
    assert first.ended_at is not None and first.ended_at - started < 5.0
    socket.server.wait_for_connection(2, timeout=10)
    socket.wait_ready()
    assert time.monotonic() - started < 10.0
    assert cpu_seconds() - cpu < 1.0


def test_stop_sends_a_close_frame_and_returns_promptly(socket: Socket) -> None:
    connection = socket.server.latest()
    started = time.monotonic()
    socket.service.stop(5)
    assert time.monotonic() - started < 3.0
    assert connection.close_code == 1000
    assert socket.service.status()["ready"] is False
    time.sleep(0.6)  # the client would have reconnected by now
    assert len(socket.server.connections) == 1


@pytest.mark.parametrize("error", ["invalid_auth", "not_authed", "missing_scope"])
def test_a_refused_app_token_is_a_startup_refusal_naming_the_variable(
    sqlite_programme: Programme,
    fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    error: str,
) -> None:
    fake_slack.script("apps.connections.open", 200, {"ok": False, "error": error})
    app = slack_app(sqlite_programme, fake_slack, slack_app_token="xapp-revoked")
    service = SocketModeService(build_slack_app(app, background=Background(1)), "xapp-revoked")
    with caplog.at_level(logging.INFO), pytest.raises(StartupRefused) as refused:
        service.start()
    service.stop(2)
    assert (refused.value.key, refused.value.params) == (
        "slack.app_token_refused",
        {"reason": error},
    )
    for locale in ("fr", "en"):
        line = Renderer(locale, "Europe/Paris").text(Text(refused.value.key, refused.value.params))
        assert "SLACK_APP_TOKEN" in line and error in line and "\n" not in line
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


def test_giving_bolt_our_client_is_not_warned_about(
    sqlite_programme: Programme,
    fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Bolt reads SLACK_BOT_TOKEN itself; with our client given it warned at every start."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test-token")
    with caplog.at_level(logging.WARNING):
        build_slack_app(slack_app(sqlite_programme, fake_slack), background=Background(1))
    assert "will be unused" not in caplog.text


# --- `mentorbot slack` in Socket Mode, a subprocess observed from outside ---------------------


@pytest.fixture
def school(sqlite_template: Path, tmp_path: Path, clock: ManualClock) -> Iterator[Programme]:
    database = fresh_sqlite(sqlite_template, tmp_path)
    yield load_programme(database, clock)
    database.dispose()


def serve_socket_mode(
    programme: Programme, fake: FakeSlack, server: FakeSocketMode, tmp_path: Path
) -> Process:
    """No scheduler ticks: every message the fake sees comes from what the test sent."""
    fake.socket_mode_url = server.url
    settings = {
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_URL": fake.api_url,
        "SLACK_ADVISORS_CHANNEL": "C0ADVISORS",
    }
    url = str(programme.database.engine.url)
    return serve(["slack", "--no-scheduler"], base_env(url, **settings), tmp_path, name="socket")


def process_cpu(served: Process) -> float:
    """User + system CPU seconds of the serving process (fields 14 and 15 of /proc/PID/stat)."""
    stat = Path(f"/proc/{served.pid}/stat").read_text()
    fields = stat.rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def posts_to(fake: FakeSlack, channel: str) -> int:
    return sum(call.channel == channel for call in fake.calls_to("chat.postMessage"))


def test_mentorbot_slack_serves_envelopes_over_socket_mode_and_stops_cleanly(
    school: Programme, fake_slack: FakeSlack, fake_socket: FakeSocketMode, tmp_path: Path
) -> None:
    served = serve_socket_mode(school, fake_slack, fake_socket, tmp_path)
    try:
        connection = fake_socket.wait_for_connection(1)
        ready = served.wait_ready()
        assert ready["slack"]["ready"] is True and ready["slack"]["mode"] == "socket"
        url = fake_slack.response_url("sessions")
        command = payloads.slash_command(LEA, "/sessions", "", url)
        fake_socket.wait_for_ack(fake_socket.send("slash_commands", command))
        assert texts(fake_slack.wait_for("respond/sessions")[-1])

        event = payloads.event_callback(payloads.direct_message(LEA, "Bonjour"), "Ev0PROC")
        fake_socket.wait_for_ack(fake_socket.send("events_api", event, retry_attempt=0))
        eventually(lambda: posts_to(fake_slack, f"D{LEA}") == 1, timeout=10, what="Léa's answer")
        retry = fake_socket.send("events_api", event, retry_attempt=1, retry_reason="timeout")
        fake_socket.wait_for_ack(retry)
        click = payloads.block_action(LEA, "/sessions", response_url=fake_slack.response_url("b"))
        fake_socket.wait_for_ack(fake_socket.send("interactive", click))
        fake_slack.wait_for("respond/b")  # handled after the retry: the retry did nothing
        reaction = {"type": "reaction_added", "user": LEA, "reaction": "+1", "event_ts": "1.2"}
        no_listener = payloads.event_callback(reaction, "Ev0NOLISTENER")
        fake_socket.wait_for_ack(fake_socket.send("events_api", no_listener))
        assert posts_to(fake_slack, f"D{LEA}") == 1, served.output()
    finally:
        code, seconds = served.stop()
    assert code == 0 and seconds < 10, served.output()
    assert connection.close_code == 1000, served.output()  # a close frame, not a dropped socket
    output = served.output()
    assert "Traceback" not in output and "will be unused" not in output, output
    assert APP_TOKEN not in output and TOKEN not in output


def test_mentorbot_slack_holds_its_socket_through_network_trouble(
    school: Programme, fake_slack: FakeSlack, fake_socket: FakeSocketMode, tmp_path: Path
) -> None:
    """`disconnect`, then a FIN without a close frame followed by a 2 s outage, then a server
    that stops answering pings: each time back within 10 s, not ready meanwhile, no core spun."""
    served = serve_socket_mode(school, fake_slack, fake_socket, tmp_path)
    try:
        fake_socket.wait_for_connection(1)
        served.wait_ready()
        fake_socket.disconnect("refresh_requested")
        fake_socket.wait_for_connection(2, timeout=5)
        served.wait_ready(timeout=5)

        fake_socket.refusing = True
        cpu, started = process_cpu(served), time.monotonic()
        fake_socket.latest().drop()
        eventually(
            lambda: not served.readiness()["ready"], timeout=5, what="/readyz to say not ready"
        )
        assert served.get("/readyz")[0] != 200
        time.sleep(2.0)  # the outage: Slack's side refuses new connections meanwhile
        fake_socket.refusing = False
        fake_socket.wait_for_connection(3, timeout=10)
        served.wait_ready(timeout=10)
        outage, outage_cpu = time.monotonic() - started, process_cpu(served) - cpu
        assert outage < 10.0 and outage_cpu < 1.0, (outage, outage_cpu)

        silent = fake_socket.latest()
        silent.answer_pings = False
        started = time.monotonic()
        fake_socket.wait(lambda: silent.ended_at, 6.0, "the silent connection left")
        fake_socket.wait_for_connection(4, timeout=10)
        served.wait_ready(timeout=10)
        assert time.monotonic() - started < 10.0
        url = fake_slack.response_url("after")
        command = payloads.slash_command(LEA, "/sessions", "", url)
        fake_socket.wait_for_ack(fake_socket.send("slash_commands", command))
        fake_slack.wait_for("respond/after")
    finally:
        code, seconds = served.stop()
    assert code == 0 and seconds < 10, served.output()
    assert "Traceback" not in served.output()


def test_a_refused_app_token_stops_mentorbot_slack_with_one_line_and_exit_2(
    school: Programme, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    fake_slack.script("apps.connections.open", 200, {"ok": False, "error": "invalid_auth"})
    env = base_env(
        str(school.database.engine.url),
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_APP_TOKEN="xapp-revoked",
        SLACK_API_URL=fake_slack.api_url,
        MENTORBOT_LOG_LEVEL="WARNING",
    )
    done = subprocess.run(
        [sys.executable, "-m", "bot", "slack"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [said("slack.app_token_refused", reason="invalid_auth")]
    assert done.stdout == ""
