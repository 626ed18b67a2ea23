"""The advisors' weekly chart and a student's confidence chart: a real PNG, drawn from the
right points (the figure's data is read, never its pixels)."""

from __future__ import annotations

import math
import subprocess
import sys
from zoneinfo import ZoneInfo

from bot import charts, trends
from bot.chart_files import confidence_chart, weekly_chart
from bot.i18n import Renderer
from tests.conftest import Programme, make_settings
from tests.programme_facts import NOW, build

PARIS = ZoneInfo("Europe/Paris")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def points(programme: Programme) -> list[trends.WeekPoint]:
    with programme.database.uow() as uow:
        return trends.weekly(uow, NOW, PARIS)


def test_twelve_weekly_points_with_the_known_numbers(programme: Programme) -> None:
    build(programme)
    weeks = points(programme)
    assert len(weeks) == 12
    last, this = weeks[-2], weeks[-1]
    assert (last.held, last.missed) == (1, 2)  # Sam's no-show, Zoé's late cancellation
    assert (this.held, this.missed) == (1, 2)  # Léa's no-show, Sam's late cancellation
    assert last.checkin_rate == 1 / 3 and this.checkin_rate == 2 / 3
    assert last.confidence == 3 and this.confidence == 3  # (4 + 2) / 2
    assert all(w.held == w.missed == 0 and w.checkin_rate is None for w in weeks[:-2])
    assert weeks[-1].starts_at.astimezone(PARIS).isoformat() == "2026-11-30T00:00:00+01:00"


def test_the_weekly_figure_draws_every_week(programme: Programme) -> None:
    build(programme)
    figure = charts.weekly_figure(points(programme), Renderer("en", "Europe/Paris"))
    sessions, rate, confidence = figure.axes
    held, missed = sessions.containers
    assert [bar.get_height() for bar in held][-2:] == [1, 1]
    assert [bar.get_height() for bar in missed][-2:] == [2, 2]
    assert len(held) == len(missed) == 12
    rates = list(rate.lines[0].get_ydata())
    assert len(rates) == 12 and math.isnan(rates[0])  # no check-in sent: a gap, not a zero
    assert [round(r) for r in rates[-2:]] == [33, 67]
    assert list(confidence.lines[0].get_ydata())[-2:] == [3, 3]
    assert len(confidence.get_xticklabels()) == 12
    assert rate.get_title() == "Check-in response rate (%)"


def test_the_png_is_produced_and_not_empty(programme: Programme) -> None:
    build(programme)
    with programme.database.uow() as uow:
        chart = weekly_chart(uow, NOW, make_settings("sqlite://"))
    assert chart.content_type == "image/png" and chart.filename.endswith(".png")
    assert chart.content.startswith(PNG_MAGIC) and len(chart.content) > 10_000


def test_a_students_confidence_chart(programme: Programme) -> None:
    build(programme)
    lea, mentor = programme.people["lea"], programme.people["mentor"]
    with programme.database.uow() as uow:
        trend = trends.confidence_trend(uow, lea.id)
        chart = confidence_chart(uow, lea, mentor)
        nothing = confidence_chart(uow, programme.people["sam"], mentor)  # never answered
    assert [(p.iso_week, p.confidence) for p in trend] == [((2026, 48), 3), ((2026, 49), 4)]
    assert chart is not None and chart.content.startswith(PNG_MAGIC)
    assert nothing is None
    figure = charts.confidence_figure(trend, lea.name, Renderer("fr", "Europe/Paris"))
    assert list(figure.axes[0].lines[0].get_ydata()) == [3, 4]
    assert figure.axes[0].get_title() == "Confiance de Léa Dubois (1–5)"


def test_a_name_with_dollar_signs_is_drawn_as_written() -> None:
    """A label is plain text: between two `$` matplotlib read a formula, and failed to draw
    one that is not."""
    points = [trends.ConfidencePoint((2026, week), 3) for week in (48, 49)]
    figure = charts.confidence_figure(points, "Jo $\\frac$ Li", Renderer("en", "Europe/Paris"))
    assert charts.png(figure).startswith(PNG_MAGIC)
    assert figure.axes[0].get_title().startswith("Jo $\\frac$ Li")


def test_serving_never_imports_matplotlib_at_start_up() -> None:
    """The charts' library is loaded on the first chart, not by the serving composition."""
    code = (
        "import sys, adapters.cli, adapters.serving, adapters.bootstrap, bot.scheduled, bot.core;"
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_chart_process_writes_no_property_help_and_set_still_works() -> None:
    """Importing matplotlib's Figure wrote each Artist class's properties into the help of its
    `set()` and of functions such as `Axes.plot` (a quarter of the import): the first chart
    skips it, `set()` takes them all still."""
    code = (
        "from bot import charts, trends; from bot.i18n import Renderer;"
        "points = [trends.ConfidencePoint((2026, week), 3) for week in (48, 49)];"
        "charts.png(charts.confidence_figure(points, 'Jo', Renderer('en', 'UTC')));"
        "from matplotlib.lines import Line2D; line = Line2D([0], [1]);"
        "line.set(color='red', lw=3, label='x');"
        "from matplotlib.axes import Axes; listed = 'antialiased' in Axes.plot.__doc__;"
        "print(Line2D.set.__doc__, listed, line.get_color(), line.get_lw(), line.get_label())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["None", "False", "red", "3.0", "x"]


def test_a_chart_sets_off_no_garbage_collection_and_leaves_the_collector_as_it_was() -> None:
    """Importing matplotlib and drawing a figure make tens of thousands of objects that all live
    until the PNG is made: a fresh process's first weekly chart ran a full collection and a
    dozen of the middle generation over them, for nothing. None runs now (the youngest one,
    after, frees the figure); the collector is on again after, nothing left frozen, and one
    that was off stays off."""
    code = (
        "import gc; from datetime import UTC, datetime; from bot import collector, trends;"
        "from bot.chart_files import weekly_chart_of; from tests.conftest import make_settings;"
        "now = datetime(2026, 11, 23, 15, tzinfo=UTC); settings = make_settings('sqlite://');"
        "points = [trends.WeekPoint(now, 3, 1, 0.5, 3.5)] * 12; runs = [];"
        "gc.callbacks.append(lambda phase, info: runs.append((phase, info['generation'])));"
        "chart = weekly_chart_of(points, now, settings);"
        "print(sum(1 for phase, generation in runs if phase == 'start' and generation > 0));"
        "print(gc.isenabled(), gc.get_freeze_count(), chart.content[:4] == b'\\x89PNG');"
        "gc.disable(); paused = collector.paused(); paused.__enter__();"
        "paused.__exit__(None, None, None); print(gc.isenabled())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "True", "0", "True", "False"]
