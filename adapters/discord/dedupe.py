"""A direct message is handled once per message id, whoever receives it.

Discord sends every event to every gateway session of a token, and replays what a connection
missed when it RESUMEs: two replicas, or one that resumes after it had already answered, would
otherwise answer a question twice. The first to record the id in the database (the core's
`ProcessedIds`, the same table as Slack's event ids) handles it; ids are forgotten well after
any replay could come.
"""

from __future__ import annotations

from adapters.discord.identity import PLATFORM
from bot.processed import ProcessedIds


class Seen:
    """`first_time(key)`: True once per Discord key across every process sharing the database.
    Synchronous (it commits a row): call it from a worker thread."""

    def __init__(self, processed: ProcessedIds) -> None:
        self.processed = processed

    def first_time(self, key: str) -> bool:
        return self.processed.first_time(PLATFORM, key)


def message_key(message_id: int) -> str:
    """Namespaced, so other Discord events can be remembered in the same table later."""
    return f"message:{message_id}"
