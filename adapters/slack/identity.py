"""Which roster person a Slack user is: by the roster's slack_id, else by their Slack email.

Linked users are cached for good (a link does not change while we run), with the person as
their last command left them (so the cache costs no query, and a "busy" answer can be in their
language without one); for unknown users the
email Slack gave us is cached for a while, so a stranger typing commands costs one `users.info`
per `EMAIL_TTL`, not one per command, while an advisor adding them to the roster takes effect
on their next command.
"""

from __future__ import annotations

import logging
import re
import threading
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.clock import Clock
from bot.core import Core
from bot.domain import Person

log = logging.getLogger(__name__)

PLATFORM = "slack"
EMAIL_TTL = timedelta(minutes=10)
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


class SlackIdentity:
    def __init__(self, core: Core, client: WebClient, clock: Clock) -> None:
        self.core = core
        self.client = client
        self.clock = clock
        self._people: dict[str, Person] = {}
        self._emails: dict[str, tuple[str | None, datetime]] = {}
        self._lock = threading.Lock()

    def person(self, user_id: str) -> Person | None:
        """The person behind this Slack user, linking them by email on first sight if we can."""
        cached = self.cached(user_id)
        if cached is not None:
            return cached
        person = self.core.identify(PLATFORM, user_id) or self._by_email(user_id)
        if person is not None:
            self.remember(user_id, person)
        return person

    def cached(self, user_id: str) -> Person | None:
        """Known in this process already: no query, no users.info."""
        with self._lock:
            return self._people.get(user_id)

    def remember(self, user_id: str, person: Person) -> None:
        with self._lock:
            self._people[user_id] = person
            self._emails.pop(user_id, None)

    def forget(self, user_id: str) -> None:
        """The person is gone from the roster (erased): ask again next time."""
        with self._lock:
            self._people.pop(user_id, None)

    def _by_email(self, user_id: str) -> Person | None:
        email = self._email(user_id)
        if email is None:
            return None
        return self.core.link_by_email(PLATFORM, user_id, email)

    def _email(self, user_id: str) -> str | None:
        now = self.clock.now()
        with self._lock:
            cached = self._emails.get(user_id)
        if cached is not None and now - cached[1] < EMAIL_TTL:
            return cached[0]
        try:
            email = self._fetch_email(user_id)
        except (SlackApiError, OSError) as error:  # rate limited or unreachable: ask next time
            log.warning("users.info %s failed: %s", user_id, error)
            return None
        with self._lock:
            self._emails[user_id] = (email, now)
        return email

    def _fetch_email(self, user_id: str) -> str | None:
        """users.info → profile.email (needs the users:read.email scope)."""
        try:
            response = self.client.users_info(user=user_id)
        except SlackApiError as error:
            if error.response.get("error") in ("user_not_found", "users_not_found"):
                return None
            raise
        user = response.get("user") or {}
        if user.get("is_bot") or user.get("deleted"):
            return None
        email = (user.get("profile") or {}).get("email")
        return str(email) if email else None

    def link_mentioned(self, text: str) -> None:
        """Link the people a command mentions (`<@U123|name>`) so the core can resolve them.

        The core finds a mentioned person through their Slack link; someone on the roster who
        never wrote to the bot is linked here by their Slack email first.
        """
        for user_id in set(MENTION.findall(text)):
            if self.cached(user_id) is None:
                self.person(user_id)
