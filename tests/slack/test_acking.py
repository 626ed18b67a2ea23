"""Acks first (adapters/slack/acking.py): the work after acks waits while a request is being
acknowledged, at most a bound, and no longer once its queue is half full; every request the
HTTP host takes, answered, refused or dropped, stops counting as pending."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from adapters.slack.acking import Acking
from adapters.slack.app import build_slack_app
from adapters.slack.server import SlackHTTPServer
from adapters.slack.targets import Background
from tests.conftest import Programme
from tests.serving_process import eventually
from tests.slack import payloads
from tests.slack.conftest import LEA, SECRET, slack_app
from tests.slack.fake_slack import FakeSlack

NEVER = 60.0  # seconds: longer than any test waits, so a wait that happened is seen


def test_work_waits_until_no_request_is_being_acknowledged() -> None:
    acking = Acking(wait=NEVER)
    background = Background(1, acking=acking, limit=10)
    acked = acking.begin()
    started = threading.Event()
    background.submit(started.set)
    assert not started.wait(0.2)  # held while the ack is pending
    acked()
    acked()  # ending twice ends once
    assert started.wait(5) and acking.pending == 0
    background.shutdown()


def test_a_steady_stream_of_acks_slows_the_work_but_never_stops_it() -> None:
    acking = Acking(wait=0.05)
    acking.begin()  # never ends
    background = Background(1, acking=acking, limit=10)
    started = threading.Event()
    background.submit(started.set)
    assert started.wait(5)
    background.shutdown()


def test_past_half_its_queue_the_work_does_not_wait() -> None:
    """People would be told "busy" sooner: the work catches up first."""
    acking = Acking(wait=NEVER)
    acking.begin()  # never ends
    background = Background(1, acking=acking, limit=2)  # one piece is half the queue
    started = threading.Event()
    background.submit(started.set)
    assert started.wait(5)
    background.shutdown()


@pytest.fixture
def served(
    sqlite_programme: Programme, fake_slack: FakeSlack
) -> Iterator[tuple[SlackHTTPServer, Acking]]:
    """mentorbot over HTTP whose workers would wait a minute for a pending ack."""
    acking = Acking(wait=NEVER)
    background = Background(2, acking=acking)
    bolt = build_slack_app(slack_app(sqlite_programme, fake_slack), background=background)
    server = SlackHTTPServer(bolt, "127.0.0.1", 0, acking=acking)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server, acking
    server.shutdown()
    server.server_close()
    background.shutdown()


def test_a_command_is_answered_once_its_ack_is_sent(
    served: tuple[SlackHTTPServer, Acking], fake_slack: FakeSlack
) -> None:
    """The ack ends the request's pending time: its work then runs at once (were the request
    still counted, the work would wait a minute)."""
    server, acking = served
    http = payloads.SignedClient(f"{server.url}/slack/events", SECRET)
    url = fake_slack.response_url("help")
    answer = http.form(payloads.slash_command(LEA, "/mentorbot", "help", url))
    assert answer.status == 200
    fake_slack.wait_for("respond/help", timeout=5)
    eventually(lambda: acking.pending == 0 or None, timeout=5)


def test_refused_dropped_and_kept_connections_stop_counting(
    served: tuple[SlackHTTPServer, Acking], fake_slack: FakeSlack
) -> None:
    server, acking = served
    host, port = server.server_address[:2]
    http = payloads.SignedClient(f"{server.url}/slack/events", SECRET)
    command = payloads.slash_command(LEA, "/mentorbot", "help", fake_slack.response_url("x"))
    assert http.form(command, signed=False).status == 401
    with socket.create_connection((str(host), port)):
        pass  # closed before sending anything
    with socket.create_connection((str(host), port)) as kept:  # two requests, one connection
        for _ in range(2):
            kept.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert b"200 OK" in kept.recv(4096)
        eventually(lambda: acking.pending == 0 or None, timeout=5)  # while the connection stays
    eventually(lambda: acking.pending == 0 or None, timeout=5)
