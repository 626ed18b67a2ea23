"""The bot's global rate limit, kept ahead of Discord for every REST request the client makes.

discord.py keeps each route's bucket from Discord's headers, and stops everything after a global
429, but does not pace itself under the global limit (50 requests/s per bot): a burst of
deliveries would get 429s from Discord first. So the client's one way out, `HTTPClient.request`,
is wrapped: each request takes room under the limit first, and holds it until its answer is in
(see adapters/rate_limits.py). Commands' own calls count too, except interactions and their
webhooks, which Discord does not count against the global limit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord

from adapters.rate_limits import Limit, RateLimiter

EXEMPT = ("/interactions/", "/webhooks/")


def pace(client: discord.Client, requests_per_second: float) -> RateLimiter:
    """Wrap the client's requests once; returns the limiter every request goes through."""
    http = client.http
    limiter: RateLimiter | None = getattr(http, "mentorbot_limiter", None)
    if limiter is not None:
        return limiter
    limiter = RateLimiter()
    limits = {"global": Limit.per_second(requests_per_second)}
    request: Callable[..., Awaitable[Any]] = http.request

    async def paced(route: discord.http.Route, **kwargs: Any) -> Any:
        if route.path.startswith(EXEMPT):
            return await request(route, **kwargs)
        async with limiter.call_async(limits):
            return await request(route, **kwargs)

    http.request = paced  # type: ignore[method-assign]
    http.mentorbot_limiter = limiter  # type: ignore[attr-defined]
    return limiter
