"""Where messages for the advisors go: one outbox row per configured platform's channel, so a
Slack outage never delays or duplicates the Discord post (and the other way round)."""

from __future__ import annotations

from bot.settings import Settings


def advisor_channels(settings: Settings) -> tuple[str, ...]:
    channels = []
    if settings.slack_advisors_channel:
        channels.append("advisors:slack")
    if settings.discord_advisors_channel_id:
        channels.append("advisors:discord")
    return tuple(channels) or ("advisors:console",)
