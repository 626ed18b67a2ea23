"""What keeps the ack path short (bench/slack_ack.py measures it; these hold its shape):
requests run on kept threads yet never wait behind a stalled one, a command that only read does
not wake the delivery loops, and the ids of handled reads are written in one statement."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from adapters.slack.app import build_slack_app
from adapters.slack.server import SlackHTTPServer, start_http
from adapters.slack.targets import Background
from bot.processed import ProcessedIds
from tests.conftest import Programme
from tests.serving_process import eventually
from tests.slack import payloads
from tests.slack.conftest import LEA, SECRET, Slack, slack_app
from tests.slack.fake_slack import FakeSlack
from tests.statements import counting


def test_requests_reuse_idle_threads(sqlite_slack: Slack) -> None:
    """Twenty commands one after the other: one thread handles them all (the standard server
    started twenty, and its accept loop waited for each new one to be scheduled).

    The client reads its ack before the thread that wrote it counts itself idle again, so each
    command waits for that: a command sent in between rightly gets a thread of its own."""
    handlers = sqlite_slack.server.handlers
    for n in range(20):
        sqlite_slack.command(LEA, "/mentorbot", "help", name=f"help-{n}")
        eventually(lambda: handlers._idle == 1 or None, timeout=5)
    assert len(handlers._threads) == 1


def test_a_stalled_client_never_holds_up_another_request(sqlite_slack: Slack) -> None:
    """A client that sends its headers and never its body holds its thread (for the handler's
    10-second timeout); the next request gets a thread of its own and its ack at once."""
    host, port = sqlite_slack.server.server_address[:2]
    with socket.create_connection((str(host), port)) as stalled:
        stalled.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\npartial"
        )
        eventually(lambda: sqlite_slack.server.handlers._idle == 0 or None, timeout=5)
        url = sqlite_slack.fake.response_url("quick")
        answer = sqlite_slack.http.form(payloads.slash_command(LEA, "/mentorbot", "help", url))
        assert answer.status == 200 and answer.seconds < 5, answer
        assert sqlite_slack.answer("quick")


@pytest.fixture
def woken(sqlite_programme: Programme, fake_slack: FakeSlack) -> Iterator[tuple[Slack, list[int]]]:
    """mentorbot on Slack whose delivery wake is counted."""
    app = slack_app(sqlite_programme, fake_slack)
    wakes: list[int] = []
    background = Background(2)
    bolt = build_slack_app(app, background=background, on_handled=lambda: wakes.append(1))
    server: SlackHTTPServer = start_http(bolt)
    client = payloads.SignedClient(f"{server.url}/slack/events", SECRET)
    yield Slack(sqlite_programme, app, fake_slack, bolt, server, client), wakes
    server.shutdown()
    server.server_close()
    background.shutdown()


def test_only_a_command_that_wrote_wakes_the_delivery_loops(
    woken: tuple[Slack, list[int]],
) -> None:
    slack, wakes = woken
    slack.command(LEA, "/sessions", name="read")
    slack.command(LEA, "/mentorbot", "help", name="help")
    assert wakes == []  # reads queue nothing: a wake would only cost a claim transaction
    slack.command(LEA, "/mentorbot", "language en", name="write")
    eventually(lambda: wakes or None, timeout=5)  # woken just after the answer is sent
    assert wakes == [1]


def test_the_ids_of_handled_reads_are_written_in_one_statement(programme: Programme) -> None:
    processed = ProcessedIds(programme.database.uow, programme.clock)
    for n in range(5):
        processed.later("slack", f"read-{n}")
    with counting(programme.database.engine) as statements:
        processed.flush()  # or the writer thread's batch, which flush() waits for
    assert len(statements) == 1 and statements.writes(), statements  # was 5 gets, 5 inserts
    processed.later("slack", "read-0")  # written again: ignored, not an error
    processed.flush()
    with programme.database.reads() as uow:
        assert all(uow.events.seen("slack", f"read-{n}") for n in range(5))
