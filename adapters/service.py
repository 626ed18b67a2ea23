"""What a serving process is made of: services that start, say whether they are ready, and stop.

`adapters.serving` composes them (platforms, their delivery loops, the leader-elected scheduler,
the health endpoints) and stops them in order on SIGTERM; each platform adapter provides its own.
"""

from __future__ import annotations

from typing import Protocol


class Service(Protocol):
    """One part of a serving process. `start` returns once the part runs in its own thread(s);
    `stop` returns once it has stopped taking work and handed back what it held."""

    name: str

    def start(self) -> None: ...

    def status(self) -> dict[str, object]:
        """What /readyz shows for this part; `ready` (bool) is required, no secrets."""
        ...

    def stop(self, timeout: float) -> None: ...


class StartupRefused(Exception):
    """A platform refused what we were configured with (a bad token, a missing scope): the
    serving process prints the catalogue message `key` in one line and exits 2, no traceback."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
