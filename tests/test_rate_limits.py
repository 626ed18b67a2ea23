"""The deliverers' rate limiter, on a clock the test moves: a slot is held from the call until
`per` seconds after its answer; a call under several limits waits for all of them and is
charged to all at once; a wait too long is raised, not slept; a 429's pause ends by the clock
the outbox reschedules with."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.rate_limits import POLL, Limit, Pauses, RateLimiter, TooLong
from bot.clock import ManualClock


class Seconds:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


TWO_PER_SECOND = {"global": Limit(2, 1.0)}


def test_a_slot_is_free_again_a_period_after_the_answer_not_after_the_call() -> None:
    clock = Seconds()
    limiter = RateLimiter(clock=clock)
    assert limiter.try_acquire(TWO_PER_SECOND) == 0.0
    assert limiter.try_acquire(TWO_PER_SECOND) == 0.0
    assert limiter.try_acquire(TWO_PER_SECOND) == POLL  # both in flight: no instant known yet
    clock.now += 0.3
    limiter.release(TWO_PER_SECOND)  # the first answer is in at 100.3
    assert limiter.try_acquire(TWO_PER_SECOND) == pytest.approx(1.0)  # free at 101.3
    clock.now = 101.3
    assert limiter.try_acquire(TWO_PER_SECOND) == 0.0


def test_a_call_under_several_limits_is_charged_to_all_only_when_all_have_room() -> None:
    clock = Seconds()
    limiter = RateLimiter(clock=clock)

    def post(channel: int) -> dict[str, Limit]:
        return {"post": Limit(10, 1.0), f"post:C{channel}": Limit(1, 1.0)}

    assert limiter.try_acquire(post(1)) == 0.0
    limiter.release(post(1))
    assert limiter.try_acquire(post(1)) == pytest.approx(1.0)  # C1's second waits a second
    for channel in range(2, 11):  # the workspace limit was not charged for the waiting call
        assert limiter.try_acquire(post(channel)) == 0.0
        limiter.release(post(channel))
    assert limiter.try_acquire(post(11)) == pytest.approx(1.0)  # ten in the second: full


def test_a_wait_longer_than_the_caller_sleeps_is_raised() -> None:
    clock = Seconds()
    limiter = RateLimiter(clock=clock)
    tier = {"users.lookupByEmail": Limit(1, 60.0)}
    with limiter.call(tier, max_wait=5.0):
        pass
    with pytest.raises(TooLong) as raised, limiter.call(tier, max_wait=5.0):
        pass
    assert raised.value.wait == pytest.approx(60.0)


def test_a_pause_ends_by_the_outbox_clock() -> None:
    clock = ManualClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    pauses = Pauses(clock.now)
    pauses.pause(["chat.postMessage"], 30)
    assert pauses.remaining(["chat.postMessage", "chat.postMessage:C1"]) == 30
    assert pauses.remaining(["chat.update"]) == 0.0
    clock.advance(seconds=30)
    assert pauses.remaining(["chat.postMessage"]) == 0.0


def test_a_rate_of_less_than_one_a_second_is_one_call_per_longer_period() -> None:
    assert Limit.per_second(50) == Limit(50, 1.0)
    assert Limit.per_second(0.5) == Limit(1, 2.0)
    with pytest.raises(ValueError):
        Limit(0, 1.0)
