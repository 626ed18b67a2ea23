"""The Slack harness: the programme, mentorbot's real Bolt app served over HTTP on 127.0.0.1,
its Web API client pointed (SLACK_API_URL) at a fake Slack that records every call."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
import slack_bolt

from adapters.bootstrap import App
from adapters.delivery import DeliveryLoop
from adapters.slack.app import build_slack_app
from adapters.slack.deliver import SlackDeliverer, delivery_client
from adapters.slack.render import SlackRenderer
from adapters.slack.server import SlackHTTPServer, start_http
from adapters.slack.targets import Background
from bot.clock import ManualClock
from bot.core import Core
from bot.domain import Notification
from bot.outbox import OutboxWorker
from bot.replies import Text
from storage.database import Database
from tests.conftest import Programme, load_programme, make_settings
from tests.slack import payloads
from tests.slack.fake_slack import Call, FakeSlack

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TOKEN = "xoxb-test-token"
ADVISORS = "C0ADVISORS"
LEA, SAM, MENTOR, ADVISOR = "U0LEA", "U0SAM", "U0MENTOR", "U0ADVISOR"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    """A fake Slack that knows no user: the roster links people by their slack_id."""
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_slack(fake: FakeSlack) -> FakeSlack:
    # Lea and the mentor are linked by the roster's slack_id; these two only by their email.
    fake.users[SAM] = {"email": "sam@school.example", "tz": "America/Toronto", "locale": "en-US"}
    fake.users[ADVISOR] = {"email": "advisor@school.example"}
    return fake


@dataclass
class Slack:
    """A running mentorbot on Slack, and a terse way to act as a Slack user."""

    programme: Programme
    app: App
    fake: FakeSlack
    bolt: slack_bolt.App
    server: SlackHTTPServer
    http: payloads.SignedClient

    def command(self, user: str, command: str, text: str = "", name: str = "cmd") -> Call:
        """Type a slash command; returns what the person saw (the response_url call)."""
        url = self.fake.response_url(name)
        answer = self.http.form(payloads.slash_command(user, command, text, url))
        assert answer.status == 200 and answer.body == "", answer
        return self.answer(name)

    def click(self, user: str, value: str, name: str = "click", **options: Any) -> Call:
        """Press a button in a message; returns what the person saw."""
        self.press(user, value, name, **options)
        return self.answer(name)

    def press(self, user: str, value: str, name: str = "click", **options: Any) -> None:
        """Press a button without waiting for an answer (a form opens instead)."""
        url = self.fake.response_url(name)
        answer = self.http.interaction(
            payloads.block_action(user, value, response_url=url, **options)
        )
        assert answer.status == 200 and answer.body == "", answer

    def answer(self, name: str) -> Call:
        return self.fake.wait_for(f"respond/{name}")[-1]

    def click_in(self, post: Call, user: str, value: str, name: str = "click") -> Call:
        """Press the button `value` in a message the bot posted (a DM, a channel post)."""
        self.press_in(post, user, value, name)
        return self.answer(name)

    def press_in(self, post: Call, user: str, value: str, name: str = "click") -> None:
        [pressed] = [b for b in buttons(post) if b["value"] == value]
        message = {**post.args, **post.answer}  # its text and blocks, its channel and ts
        self.press(user, value, name, action_id=pressed["action_id"], message=message)

    def submit(self, user: str, opened: Call, values: dict[str, dict[str, Any]]) -> payloads.Answer:
        """Submit the modal that views.open showed, with Slack's state `values`."""
        view = opened.args["view"]
        return self.http.interaction(
            payloads.view_submission(user, view["callback_id"], values, view["private_metadata"])
        )

    def dms(self, user: str) -> list[Call]:
        """What the bot posted in its DM with this Slack user."""
        posts = self.fake.calls_to("chat.postMessage")
        return [post for post in posts if post.channel == f"D{user}"]

    def worker(self) -> OutboxWorker:
        return self.app.outbox_worker(SlackDeliverer(self.app, delivery_client(self.app)))

    def queue(self, notification: Notification) -> None:
        with self.app.database.uow() as uow:
            uow.outbox.add(notification, self.app.clock.now())
            uow.commit()


def texts(call: Call) -> list[str]:
    """The lines a person reads in a message: each section's text, then each button's label."""
    lines = []
    for block in call.args.get("blocks") or []:
        if block["type"] == "section":
            lines.append(block["text"]["text"])
        elif block["type"] == "actions":
            lines += [element["text"]["text"] for element in block["elements"]]
    return lines


def said(key: str, locale: str = "fr", /, **params: object) -> str:
    """What the catalogue says for this key, as Slack shows it to a reader in Paris."""
    return SlackRenderer(locale, "Europe/Paris").text(Text(key, params))


def buttons(call: Call) -> list[dict[str, Any]]:
    blocks = call.args.get("blocks") or []
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def slack_app(programme: Programme, fake: FakeSlack, **overrides: object) -> App:
    values: dict[str, object] = {
        "slack_bot_token": TOKEN,
        "slack_signing_secret": SECRET,
        "slack_api_url": fake.api_url,
        "slack_advisors_channel": ADVISORS,
    }
    settings = make_settings("sqlite://", **{**values, **overrides})
    core = Core(programme.database.uow, programme.clock, settings, programme.database.reads)
    return App(settings, programme.database, core, programme.clock)


@contextmanager
def running(programme: Programme, fake: FakeSlack, *, deliver: bool = False) -> Iterator[Slack]:
    """mentorbot on Slack over HTTP; with `deliver`, the outbox loop runs and each handled
    command wakes it, as in `mentorbot slack` (its interval is an hour: only a wake sends)."""
    app = slack_app(programme, fake)
    loop = None
    if deliver:
        worker = app.outbox_worker(SlackDeliverer(app, delivery_client(app)))
        loop = DeliveryLoop(worker, interval=3600).start()
    background = Background(4)
    bolt = build_slack_app(
        app, background=background, on_handled=loop.wake if loop else lambda: None
    )
    server = start_http(bolt)
    client = payloads.SignedClient(f"{server.url}/slack/events", SECRET)
    try:
        yield Slack(programme, app, fake, bolt, server, client)
    finally:
        server.shutdown()
        server.server_close()
        background.shutdown()
        app.core.processed.flush()  # as a serving process does when it stops
        if loop is not None:
            loop.stop()


@pytest.fixture
def slack(programme: Programme, fake_slack: FakeSlack) -> Iterator[Slack]:
    """On SQLite and PostgreSQL: for what touches the database in more than a trivial way."""
    with running(programme, fake_slack) as harness:
        yield harness


@pytest.fixture
def sqlite_programme(sqlite_database: Database, clock: ManualClock) -> Programme:
    return load_programme(sqlite_database, clock)


@pytest.fixture
def sqlite_slack(sqlite_programme: Programme, fake_slack: FakeSlack) -> Iterator[Slack]:
    """On SQLite only: for what is about Slack, not about the database."""
    with running(sqlite_programme, fake_slack) as harness:
        yield harness
