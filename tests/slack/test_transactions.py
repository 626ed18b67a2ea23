"""One Slack command, one transaction: counted by the engine's own `begin` events while the
real Bolt app serves signed requests over HTTP. A read is a read (no write lock on SQLite);
the ack path opens none; a replay runs nothing, even in another process."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from storage.database import WRITES
from tests.conftest import Programme
from tests.slack.conftest import LEA, MENTOR, SAM, Slack, running, said, texts
from tests.slack.fake_slack import FakeSlack
from tests.slack.payloads import slash_command

RECORDER = "processed-ids"  # the thread that remembers, in batches, ids a read could not commit


class Begun(list[tuple[str, bool]]):
    """Each transaction begun: the thread that began it, and whether it may write."""

    def of_commands(self) -> list[bool]:
        return [writes for thread, writes in self if thread != RECORDER]


@contextmanager
def transactions(slack: Slack) -> Iterator[Begun]:
    begun = Begun()
    lock = threading.Lock()

    def on_begin(connection: Any) -> None:
        writes = connection.get_execution_options().get(WRITES, True)
        with lock:
            begun.append((threading.current_thread().name, bool(writes)))

    engine = slack.app.database.engine
    event.listen(engine, "begin", on_begin)
    try:
        yield begun
    finally:
        event.remove(engine, "begin", on_begin)


def test_a_known_user_s_command_is_one_transaction(sqlite_slack: Slack) -> None:
    slack = sqlite_slack
    slack.command(LEA, "/sessions", name="first")  # this process meets Léa
    with transactions(slack) as begun:
        answer = slack.command(LEA, "/availability", "list", name="read")
    assert begun.of_commands() == [False], begun  # one, and a read
    assert texts(answer)  # answered
    with transactions(slack) as begun:
        slack.command(MENTOR, "/sessions", name="mentor-first")
    assert begun.of_commands() == [False, False]  # first sight: who is U0MENTOR, then /sessions
    with transactions(slack) as begun:
        answer = slack.command(MENTOR, "/availability", "add fri 14:00-16:00", name="write")
    assert begun.of_commands() == [True], begun  # one, and it writes: the request's id too
    assert not answer.args.get("blocks") or said("error.internal") not in texts(answer)


def test_a_change_of_language_is_answered_in_it_within_the_same_transaction(
    sqlite_slack: Slack,
) -> None:
    slack = sqlite_slack
    slack.command(LEA, "/sessions", name="first")
    with transactions(slack) as begun:
        answer = slack.command(LEA, "/mentorbot", "language en", name="english")
    assert begun.of_commands() == [True]
    assert texts(answer) == [said("language.set.en", "en")]
    after = slack.command(LEA, "/mentorbot", "timezone", name="after")  # remembered so
    assert texts(after) == [said("timezone.current", "en", zone="Europe/Paris")]


def test_a_user_met_by_email_is_linked_once_then_served_in_one_transaction(
    sqlite_slack: Slack,
) -> None:
    slack = sqlite_slack
    slack.command(SAM, "/sessions", name="first")  # users.info, then linked by email
    with transactions(slack) as begun:
        slack.command(SAM, "/sessions", name="second")
    assert begun.of_commands() == [False]
    assert len(slack.fake.calls_to("users.info")) == 1


def test_a_read_replayed_in_another_process_runs_nothing(
    programme: Programme, fake_slack: FakeSlack
) -> None:
    """The id of a read is remembered right after it (it could not be written in a read-only
    transaction): a replay reaching a second process, sharing the database, is not served."""
    command = slash_command(LEA, "/sessions", "", fake_slack.response_url("read"))
    with running(programme, fake_slack) as first, running(programme, fake_slack) as second:
        assert first.http.form(command).status == 200
        first.answer("read")
        first.app.core.processed.flush()  # the batch the recorder writes within 50 ms
        with transactions(second) as begun:
            assert second.http.form(command).status == 200
            again = slash_command(LEA, "/sessions", "", fake_slack.response_url("later"))
            second.http.form(again)
            second.answer("later")
        assert begun.of_commands().count(False) >= 2  # asked in a read, and skipped
    assert len(fake_slack.calls_to("respond/read")) == 1
