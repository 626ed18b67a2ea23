"""The work after the ack is bounded: past `MENTORBOT_SLACK_WORK_QUEUE` a request is answered
"busy, try again in a moment" at once, in the person's language, and the queue drains.

The workers are held up the way a school's are on a bad day: another process holds SQLite's
write lock, so every command that writes waits; the busy answers need no database at all.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from adapters.slack.app import build_slack_app
from adapters.slack.server import start_http
from adapters.slack.targets import Background
from tests.conftest import Programme
from tests.serving_process import eventually
from tests.slack import payloads
from tests.slack.conftest import LEA, SAM, SECRET, said, slack_app, texts
from tests.slack.fake_slack import Call, FakeSlack

WORKERS, LIMIT, BURST = 2, 4, 12


@pytest.fixture
def served(
    sqlite_programme: Programme, fake_slack: FakeSlack
) -> Iterator[tuple[payloads.SignedClient, Background]]:
    app = slack_app(sqlite_programme, fake_slack)
    background = Background(WORKERS, limit=LIMIT)
    server = start_http(build_slack_app(app, background=background))
    yield payloads.SignedClient(f"{server.url}/slack/events", SECRET), background
    server.shutdown()
    server.server_close()
    background.shutdown()


def send(http: payloads.SignedClient, fake: FakeSlack, user: str, name: str, text: str) -> None:
    answer = http.form(payloads.slash_command(user, "/ask", text, fake.response_url(name)))
    assert answer.status == 200 and answer.body == "", answer


def test_a_burst_beyond_the_bound_is_told_busy_at_once_and_everyone_is_answered(
    sqlite_programme: Programme,
    fake_slack: FakeSlack,
    served: tuple[payloads.SignedClient, Background],
) -> None:
    http, background = served
    fake = fake_slack
    sqlite_programme.ok("mentor", "/contact async")
    send(http, fake, SAM, "hello", "topic=mentor Hello")  # this process meets Sam (English)
    fake.wait_for("respond/hello")
    database = sqlite_programme.database
    with database.engine.connect() as other_process:  # holds SQLite's write lock
        other_process.execute(
            text("INSERT INTO processed_events VALUES ('test', 'held', '2026-11-23 09:00:00')")
        )
        burst = [(LEA if n % 2 else SAM, f"q{n}") for n in range(BURST)]
        threads = [
            threading.Thread(target=send, args=(http, fake, user, name, f"topic=mentor {name}"))
            for user, name in burst
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        # While nothing can be written: exactly the bound is held, everyone else told busy.
        busy = eventually(
            lambda: (b := busy_answers(fake)) and len(b) >= BURST - LIMIT and b,
            timeout=10,
            what="the busy answers",
        )
        assert background.pending == LIMIT
        assert len(busy) == BURST - LIMIT
        held = {name for name, _ in busy}
        assert all(not fake.calls_to(f"respond/{name}") for _, name in burst if name not in held)
        users = {name: user for user, name in burst}
        for name, call in busy:
            assert texts(call) == [BUSY["en" if users[name] == SAM else "fr"]]  # Sam's English
            assert call.args["response_type"] == "ephemeral"
        other_process.rollback()
    # The lock released, the queue drains: every request has exactly one answer.
    eventually(lambda: background.pending == 0, timeout=20, what="the queue to drain")
    for _, name in burst:
        [answer] = fake.wait_for(f"respond/{name}")
        assert (name in held) == (texts(answer)[0] in BUSY.values()), texts(answer)
    send(http, fake, LEA, "after", "topic=mentor And now?")  # served again at once
    assert texts(fake.wait_for("respond/after")[0]) == [said("ask.relayed")]


BUSY = {locale: f"⚠️ {said('slack.busy', locale)}" for locale in ("fr", "en")}


def busy_answers(fake: FakeSlack) -> list[tuple[str, Call]]:
    return [
        (call.method.removeprefix("respond/"), call)
        for call in list(fake.calls)
        if call.method.startswith("respond/q") and texts(call)[:1] in ([b] for b in BUSY.values())
    ]
