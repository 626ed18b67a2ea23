"""Where messages go: the routes that reach people, the advisors' channels, and what one
delivery worker takes from the outbox.

A person's messages go to the first route of the deployment they are linked on. A person linked
on none goes to the first route, whose deliverer may still find them (Slack looks people up by
email); when it cannot, their messages are parked, kept unsent until they link, and the advisors
are told once. Advisor posts get one outbox row per configured platform's channel, so a Slack
outage never delays or duplicates the Discord post (and the other way round).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from bot.settings import Settings

# Person routes in order of preference; "console" is the route when no chat platform is set.
PERSON_ROUTES = ("slack", "discord")
CONSOLE = "console"
UNREACHABLE = "unreachable"  # the stats' label for parked messages nothing reaches yet


def advisor_channels(settings: Settings) -> tuple[str, ...]:
    channels = []
    if settings.slack_advisors_channel:
        channels.append("advisors:slack")
    if settings.discord_advisors_channel_id:
        channels.append("advisors:discord")
    return tuple(channels) or ("advisors:console",)


def person_routes(settings: Settings) -> tuple[str, ...]:
    """The platforms this deployment reaches people on, preferred first; the console if none."""
    routes = [
        platform
        for platform, token in (
            ("slack", settings.slack_bot_token),
            ("discord", settings.discord_token),
        )
        if token is not None
    ]
    return tuple(routes) or (CONSOLE,)


@dataclass(frozen=True)
class Reach:
    """What one delivery worker takes from the outbox. `None` means no restriction (tests)."""

    platforms: tuple[str, ...] | None = None  # the person routes it delivers
    channels: tuple[str, ...] | None = None  # the advisors' channels it posts to
    routes: tuple[str, ...] = PERSON_ROUTES  # every person route of the deployment
    person_id: int | None = None  # only this person's messages (a console session)

    @classmethod
    def serving(cls, platforms: Sequence[str] | None, routes: Sequence[str]) -> Reach:
        """A platform's delivery loop: its people, and its own advisors' channel."""
        if platforms is None:
            return cls(routes=tuple(routes))
        return cls(
            platforms=tuple(platforms),
            channels=tuple(f"advisors:{p}" for p in platforms),
            routes=tuple(routes),
        )

    @property
    def label(self) -> str:
        """The `platform` label of this worker's metrics."""
        return ",".join(self.platforms) if self.platforms is not None else "all"


class Backlog(NamedTuple):
    """What waits on one route (a person route, `unreachable`, or an advisors' channel):
    `pending` unsent messages; `oldest_due_seconds`, how long the oldest of those that are due
    has been due (0 when none is), which alarms when delivery stalls. A plain tuple, as the
    metrics' gauges read it."""

    route: str
    pending: int
    oldest_due_seconds: float
