"""Where an answer goes once the 3-second ack is sent, and the pool the work runs on.

A slash command or a button in a message gives a response_url (its answers are ephemeral: only
the person who acted sees them); the App Home and direct messages have none, so we answer in the
bot's direct message with that person.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

log = logging.getLogger(__name__)


class Target(Protocol):
    def send(self, payload: dict[str, Any], *, replace: bool = False) -> None: ...


class ResponseUrl:
    """Ephemeral to the person who acted; `replace` swaps our own picker for its outcome."""

    def __init__(self, url: str) -> None:
        self.url = url

    def send(self, payload: dict[str, Any], *, replace: bool = False) -> None:
        body = {**payload, "response_type": "ephemeral", "replace_original": replace}
        response = WebhookClient(self.url).send_dict(body)
        if response.status_code != 200:
            log.warning("response_url answered %s: %s", response.status_code, response.body)


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
    memory; the threads exist only while there is work. Few workers: each holds the GIL while
    it works, and acks waiting behind eight of them took several times a bare app's (two keep
    up with a school: SQLite writes one at a time anyway).
    """

    def __init__(self, workers: int = 2, *, inline: bool = False, limit: int = 200) -> None:
        self._pool = None if inline else ThreadPoolExecutor(workers, thread_name_prefix="slack")
        self.limit = limit
        self._pending = 0
        self._lock = threading.Lock()

    @property
    def pending(self) -> int:
        """Accepted and not finished yet (waiting or running)."""
        with self._lock:
            return self._pending

    def submit(self, work: Callable[[], object]) -> bool:
        """Run `work` later; False, running nothing, when `limit` pieces are already pending."""
        if self._pool is None:
            _guarded(work)
            return True
        with self._lock:
            if self._pending >= self.limit:
                return False
            self._pending += 1
        self._pool.submit(self._run, work)
        return True

    def _run(self, work: Callable[[], object]) -> None:
        try:
            _guarded(work)
        finally:
            with self._lock:
                self._pending -= 1

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)


def _guarded(work: Callable[[], object]) -> None:
    try:
        work()
    except Exception:  # the person already has their ack: log, never kill the worker
        log.exception("Slack work after ack failed")
