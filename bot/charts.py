"""Charts as PNG, drawn with matplotlib's Agg backend (no display, no GUI toolkit).

matplotlib is imported on the first chart, never at start-up: a serving process that never
draws one pays nothing for it. Only the Figure and the Agg canvas are imported (pyplot, its
figure manager and backend switching are never loaded). Figures are built by functions that
return them, so tests read the plotted data instead of comparing pixels.

Each figure has fixed margins, sized for its labels: the constrained layout measured every
text of the figure again before each drawing, a third of the weekly chart's time.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from bot.i18n import Renderer
from bot.replies import Text
from bot.trends import ConfidencePoint, WeekPoint

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

_LOCK = threading.Lock()  # pyplot-free, but font caches are shared: one drawing at a time
DPI = 100
WEEKLY_DPI = 80  # 640 x 600 pixels: as legible, and 0.64 x the pixels to draw and encode


def _figure(width: float, height: float, dpi: int = DPI, **margins: float) -> Figure:
    """An empty figure on its own Agg canvas, with `margins` (fractions of the figure) fixed."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    _styled()
    figure = Figure(figsize=(width, height), dpi=dpi)
    FigureCanvasAgg(figure)
    figure.subplots_adjust(**margins)
    return figure


@cache
def _styled() -> None:
    """matplotlib's settings for every chart, set once, on the first."""
    from matplotlib import rcParams

    # A label is plain text, never mathtext: a name between two `$` was parsed as a formula,
    # and one that is not a formula made the drawing fail.
    rcParams["text.parse_math"] = False
    rcParams["axes.spines.top"] = rcParams["axes.spines.right"] = False  # no frame around


def weekly_figure(points: Sequence[WeekPoint], renderer: Renderer) -> Figure:
    """Three panels over the same weeks: sessions held and missed (bars), the check-in response
    rate (%), the average confidence (1–5). A week with no data leaves a gap, not a zero. The
    weeks are named under the last panel only: the others draw no x ticks at all (shared axes
    made and measured the twelve ticks, their lines and labels, for each panel)."""
    figure = _figure(8, 7.5, WEEKLY_DPI, left=0.08, right=0.98, top=0.96, bottom=0.15, hspace=0.3)
    sessions, rate, confidence = figure.subplots(3, 1)
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
    rate.set_yticks([0, 25, 50, 75, 100])
    rate.set_title(say(Text("chart.checkins")))
    confidences = [_or_nan(p.confidence) for p in points]
    confidence.plot(x, confidences, marker="o", color="tab:green")
    confidence.set_ylim(0.5, 5.5)
    confidence.set_yticks([1, 2, 3, 4, 5])
    confidence.set_title(say(Text("chart.confidence")))
    for panel in (sessions, rate):
        panel.set_xticks([])
    _same_weeks((sessions, rate, confidence), len(points))
    confidence.set_xticks(x, labels, rotation=45, ha="right", fontsize=8)
    return figure


def _same_weeks(panels: Sequence[Axes], weeks: int) -> None:
    """The panels' x range, one for all: a week is at the same place in each."""
    for panel in panels:
        panel.set_xlim(-0.6, weeks - 0.4)


def confidence_figure(points: Sequence[ConfidencePoint], name: str, renderer: Renderer) -> Figure:
    """A student's confidence, week by week: small, for a message."""
    figure = _figure(5, 2.5, left=0.08, right=0.97, top=0.86, bottom=0.12)
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
