"""The charts people get as files: the advisors' weekly chart and a student's confidence."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot import charts, collector, trends
from bot.attachments import PNG, Attachment
from bot.domain import Person
from bot.i18n import Renderer
from bot.ports import UnitOfWork
from bot.settings import Settings
from bot.trends import WeekPoint

MIN_POINTS = 2  # a trend needs two answers


def weekly_chart(uow: UnitOfWork, now: datetime, settings: Settings) -> Attachment:
    """The last 12 programme weeks, in the programme's language and zone (a channel's)."""
    return weekly_chart_of(trends.weekly(uow, now, ZoneInfo(settings.timezone)), now, settings)


def weekly_chart_of(points: list[WeekPoint], now: datetime, settings: Settings) -> Attachment:
    """`weekly_chart` drawn from weeks already read: no transaction needs to stay open while
    it draws (the longest part: tenths of a second to seconds on a loaded machine)."""
    with collector.paused():
        figure = charts.weekly_figure(points, Renderer(settings.locale, settings.timezone))
        content = charts.png(figure)
    day = now.astimezone(ZoneInfo(settings.timezone)).date().isoformat()
    return Attachment(f"mentorbot-weeks-{day}.png", PNG, content)


def confidence_chart(uow: UnitOfWork, student: Person, reader: Person) -> Attachment | None:
    points = trends.confidence_trend(uow, student.id)
    if len(points) < MIN_POINTS:
        return None
    renderer = Renderer(reader.locale, reader.timezone)
    with collector.paused():
        figure = charts.confidence_figure(points, student.name, renderer)
        content = charts.png(figure)
    return Attachment(f"confidence-{student.id}.png", PNG, content)
