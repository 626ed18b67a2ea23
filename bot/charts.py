"""Charts as PNG, drawn with matplotlib's Agg backend (no display, no GUI toolkit).

matplotlib is imported on the first chart, never at start-up: a serving process that never
draws one pays nothing for it. Figures are built by functions that return them, so tests read
the plotted data instead of comparing pixels.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.i18n import Renderer
from bot.replies import Text
from bot.trends import ConfidencePoint, WeekPoint

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_LOCK = threading.Lock()  # pyplot-free, but font caches are shared: one drawing at a time
DPI = 100


def _figure(width: float, height: float) -> Figure:
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=DPI, layout="constrained")


def weekly_figure(points: Sequence[WeekPoint], renderer: Renderer) -> Figure:
    """Three panels sharing the weeks: sessions held and missed (bars), the check-in response
    rate (%), the average confidence (1–5). A week with no data leaves a gap, not a zero."""
    figure = _figure(8, 7.5)
    sessions, rate, confidence = figure.subplots(3, 1, sharex=True)
    labels = [renderer.value(p.starts_at.astimezone(renderer.zone).date()) for p in points]
    x = list(range(len(points)))
    say = renderer.text
    sessions.bar([i - 0.2 for i in x], [p.held for p in points], 0.4, label=say(Text("chart.held")))
    sessions.bar(
        [i + 0.2 for i in x], [p.missed for p in points], 0.4, label=say(Text("chart.missed"))
    )
    sessions.set_title(say(Text("chart.sessions")))
    sessions.legend(loc="upper left")
    rates = [_or_nan(p.checkin_rate, 100) for p in points]
    rate.plot(x, rates, marker="o", label=say(Text("chart.checkins")))
    rate.set_ylim(0, 105)
    rate.set_title(say(Text("chart.checkins")))
    confidences = [_or_nan(p.confidence) for p in points]
    confidence.plot(x, confidences, marker="o", color="tab:green")
    confidence.set_ylim(0.5, 5.5)
    confidence.set_title(say(Text("chart.confidence")))
    confidence.set_xticks(x, labels, rotation=45, ha="right", fontsize=8)
    return figure


def confidence_figure(points: Sequence[ConfidencePoint], name: str, renderer: Renderer) -> Figure:
    """A student's confidence, week by week: small, for a message."""
    figure = _figure(5, 2.5)
    axes = figure.subplots()
    x = list(range(len(points)))
    axes.plot(x, [p.confidence for p in points], marker="o", color="tab:green")
    axes.set_ylim(0.5, 5.5)
    axes.set_yticks([1, 2, 3, 4, 5])
    axes.set_xticks(x, [f"S{p.iso_week[1]:02d}" for p in points], fontsize=8)
    axes.set_title(renderer.text(Text("chart.student_confidence", {"name": name})))
    return figure


def png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    with _LOCK:
        figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _or_nan(value: float | None, scale: float = 1.0) -> Any:
    return float("nan") if value is None else value * scale
