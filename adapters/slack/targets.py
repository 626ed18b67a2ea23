"""Where an answer goes once the 3-second ack is sent, and the pool the work runs on.

A slash command or a button in a message gives a response_url (its answers are ephemeral: only
the person who acted sees them); the App Home and direct messages have none, so we answer in the
bot's direct message with that person.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from adapters.slack.acking import ACKING, Acking
from adapters.slack.webhook import post_json

log = logging.getLogger(__name__)


class Target(Protocol):
    def send(self, payload: dict[str, Any], *, replace: bool = False) -> None: ...


class ResponseUrl:
    """Ephemeral to the person who acted; `replace` swaps our own picker for its outcome."""

    def __init__(self, url: str) -> None:
        self.url = url

    def send(self, payload: dict[str, Any], *, replace: bool = False) -> None:
        body = {**payload, "response_type": "ephemeral", "replace_original": replace}
        response = post_json(self.url, body)
        if response.status != 200:
            log.warning("response_url answered %s: %s", response.status, response.body)


class DirectMessage:
    """The conversation between the bot and one person (a DM channel id or their user id)."""

    def __init__(self, client: WebClient, channel: str) -> None:
        self.client = client
        self.channel = channel

    def send(self, payload: dict[str, Any], *, replace: bool = False) -> None:
        try:
            self.client.chat_postMessage(channel=self.channel, unfurl_links=False, **payload)
        except SlackApiError as error:
            log.warning("chat.postMessage to %s failed: %s", self.channel, error)


class Background:
    """Runs the work after `ack()` on its own threads, so acks never queue behind slow work.

    Bolt runs listeners on a small shared pool; were the work done there, twenty slow commands
    would delay the twenty-first ack. `inline=True` runs the work at once (tests, Socket Mode
    replays).

    At most `limit` pieces of work wait or run at once: beyond that `submit` refuses (the
    listener answers "busy" at once), so a burst is neither answered minutes late nor kept in
    memory. Few workers: each holds the GIL while it works, and acks waiting behind eight of
    them took several times a bare app's (two keep up with a school: SQLite writes one at a
    time anyway). The workers are started with the first piece of work and read a plain queue:
    an executor's `submit` takes a lock every pool in the process shares (the delivery's
    senders too), which the ack waited for (bench/slack_ack.py, py-spy). Each piece of work
    lets the requests being acknowledged finish first (`acking`), while the queue is less than
    half full.
    """

    def __init__(
        self, workers: int = 2, *, inline: bool = False, limit: int = 200, acking: Acking = ACKING
    ) -> None:
        self.inline = inline
        self.acking = acking
        self.workers = workers
        self.limit = limit
        self._pending = 0
        self._lock = threading.Lock()
        self._work: queue.SimpleQueue[Callable[[], object] | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []

    @property
    def pending(self) -> int:
        """Accepted and not finished yet (waiting or running)."""
        with self._lock:
            return self._pending

    def submit(self, work: Callable[[], object]) -> bool:
        """Run `work` later; False, running nothing, when `limit` pieces are already pending."""
        if self.inline:
            _guarded(work)
            return True
        with self._lock:
            if self._pending >= self.limit:
                return False
            self._pending += 1
            if not self._threads:
                self._start()
        self._work.put(work)
        return True

    def _start(self) -> None:
        for number in range(self.workers):
            thread = threading.Thread(target=self._run, name=f"slack_{number}", daemon=True)
            self._threads.append(thread)
            thread.start()

    def _run(self) -> None:
        while (work := self._work.get()) is not None:
            if self._pending * 2 < self.limit:  # read without the lock: a hint is enough
                self.acking.wait_quiet()
            try:
                _guarded(work)
            finally:
                with self._lock:
                    self._pending -= 1

    def shutdown(self) -> None:
        """The work accepted so far is done, then the workers end."""
        with self._lock:
            threads, self._threads = self._threads, []
        for _ in threads:
            self._work.put(None)
        for thread in threads:
            thread.join()


def _guarded(work: Callable[[], object]) -> None:
    try:
        work()
    except Exception:  # the person already has their ack: log, never kill the worker
        log.exception("Slack work after ack failed")
