"""Concurrent delivery to Slack under its rate limits, through the serving process's delivery
service and the real deliverer (slack_sdk's WebClient) against a fake Slack that enforces
chat.postMessage's limits: one person's messages in order, 1 message/s in a channel, a 429
backed off, nothing lost or sent twice. Real time: the fake counts real seconds."""

from __future__ import annotations

from itertools import pairwise

import pytest
from sqlalchemy import text

from adapters.bootstrap import App
from adapters.serving import DeliveryService
from adapters.slack.deliver import SlackDeliverer, delivery_client
from bot.clock import SystemClock
from storage.database import Database
from tests.delivery_harness import SLACK_ADVISORS, Arrivals, add_people, app_for, queue, wait_until
from tests.slack.fake_slack import FakeSlack, Limits


@pytest.fixture
def fake(fake: FakeSlack) -> FakeSlack:
    """conftest's fake Slack, each message taking the time a platform call takes."""
    fake.latency["chat.postMessage"] = 0.02
    return fake


def slack_app(database: Database, fake: FakeSlack, **settings: object) -> App:
    return app_for(
        database,
        SystemClock(),
        slack_bot_token="xoxb-test",
        slack_api_url=fake.api_url,
        slack_advisors_channel=SLACK_ADVISORS,
        **settings,
    )


def arrivals(fake: FakeSlack) -> Arrivals:
    seen = Arrivals()
    for post in fake.posted():
        seen.add(str(post.channel), str(post.args.get("text")))
    return seen


def deliver(app: App, fake: FakeSlack, total: int, timeout: float = 20) -> float:
    """The serving process's delivery for Slack, until the fake accepted `total` posts."""
    service = DeliveryService(app, "slack", SlackDeliverer(app, delivery_client(app)))
    service.start()
    app.queued()
    try:
        return wait_until(lambda: len(fake.posted()) >= total, timeout)
    finally:
        service.stop(5)


def test_concurrent_delivery_keeps_each_persons_order_and_one_message_per_second_per_channel(
    sqlite_database: Database, fake: FakeSlack
) -> None:
    fake.limits = Limits(per_second=50, per_channel=1)
    app = slack_app(sqlite_database, fake, delivery_concurrency=8)
    people = add_people(sqlite_database, app.clock, 12, "slack")
    total = queue(sqlite_database, app.clock, people, per_person=3)
    seconds = deliver(app, fake, total)
    seen = arrivals(fake)
    assert len(seen.seen) == total and seen.doubled() == [] and seen.out_of_order() == []
    assert fake.rate_limited == 0  # the deliverer kept the limits, Slack never had to say 429
    assert fake.most_in_flight > 1  # several people's messages were in flight at once
    assert seconds >= 2.0  # each DM channel: its 3 messages at least a second apart


def test_the_advisors_channel_gets_one_message_per_second(
    sqlite_database: Database, fake: FakeSlack
) -> None:
    fake.limits = Limits(per_channel=1)
    app = slack_app(sqlite_database, fake, delivery_concurrency=4)
    people = add_people(sqlite_database, app.clock, 4, "slack")
    total = queue(sqlite_database, app.clock, [None, *people], per_person=3)
    deliver(app, fake, total)
    to_advisors = [post.at for post in fake.posted() if post.channel == SLACK_ADVISORS]
    assert len(to_advisors) == 3 and fake.rate_limited == 0
    assert all(later - earlier >= 1.0 for earlier, later in pairwise(to_advisors))
    assert arrivals(fake).out_of_order() == []


def test_a_429_makes_the_deliverer_back_off_and_loses_nothing(
    sqlite_database: Database, fake: FakeSlack
) -> None:
    # Slack allows 5 posts a second; the deliverer believes 50: Slack's 429s must teach it.
    # Slow answers keep senders busy, so messages are due all along, during the pauses too.
    fake.limits = Limits(per_second=5, retry_after=1)
    fake.latency["chat.postMessage"] = 0.3
    app = slack_app(sqlite_database, fake, delivery_concurrency=4)
    people = add_people(sqlite_database, app.clock, 20, "slack")
    total = queue(sqlite_database, app.clock, people, per_person=1)
    deliver(app, fake, total, timeout=30)
    seen = arrivals(fake)
    assert len(seen.seen) == total and seen.doubled() == []
    assert fake.rate_limited > 0
    refused = [c.at for c in fake.calls_to("chat.postMessage") if not c.answer.get("ok")]
    for at in refused:  # after a 429, nothing new is posted until its Retry-After has passed
        during = [c for c in fake.calls_to("chat.postMessage") if at + 0.1 < c.at < at + 0.9]
        assert during == [], (at, [c.at for c in during])
    with app.database.uow() as uow:
        assert uow.outbox.pending_count() == 0


def test_a_stop_mid_burst_finishes_what_is_in_flight_and_hands_back_every_other_lease(
    sqlite_database: Database, fake: FakeSlack
) -> None:
    fake.latency["chat.postMessage"] = 0.3
    app = slack_app(sqlite_database, fake, delivery_concurrency=4)
    people = add_people(sqlite_database, app.clock, 30, "slack")
    total = queue(sqlite_database, app.clock, people, per_person=1)
    service = DeliveryService(app, "slack", SlackDeliverer(app, delivery_client(app)))
    service.start()
    app.queued()
    wait_until(lambda: len(fake.calls_to("chat.postMessage")) >= 4, timeout=10)
    service.stop(5)
    posted = len(fake.posted())
    assert 4 <= posted < total and fake.in_flight == 0
    with sqlite_database.engine.connect() as connection:
        sent, leased = connection.execute(
            text(
                "SELECT count(sent_at), count(claimed_until) FROM outbox"
                " WHERE idempotency_key LIKE 'bench:%'"
            )
        ).one()
    assert (sent, leased) == (posted, 0)  # each post marked sent; no lease left to expire
