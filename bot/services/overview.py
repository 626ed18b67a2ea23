"""`/overview`: the programme now, as a reply of bounded size whatever the programme's size
(the longest lists stop at a few names and point to `/students`), so it fits Slack's blocks
and Discord's messages for 300 students as for 3."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot import overview
from bot.commands import ShowOverview
from bot.context import Context
from bot.domain import Role
from bot.overview import Overview, Rate, WeekSessions
from bot.replies import Reply, Text

AT_RISK_SHOWN = 10
MENTORS_SHOWN = 15


def show(ctx: Context, command: ShowOverview) -> Reply:
    ctx.require(Role.ADVISOR)
    zone = ZoneInfo(ctx.settings.timezone)  # one programme week for every advisor
    data = overview.build(ctx.uow, ctx.now, zone, ctx.settings.feedback_low_score)
    return Reply(tuple(lines(data)))


def lines(data: Overview) -> list[Text]:
    return [
        Text("overview.title", {"when": data.now, "students": data.students}),
        *_alerts(data),
        _sessions("overview.sessions_this", data.this_week),
        _sessions("overview.sessions_last", data.last_week),
        _checkins(data.checkins_this_week, data.checkins_last_week),
        _feedback(data),
        *_at_risk(data),
        *_mentors(data),
    ]


def _alerts(data: Overview) -> list[Text]:
    counts = data.alerts
    lines = [
        Text(
            "overview.alerts",
            {"total": counts.total, "unacknowledged": counts.unacknowledged, **counts.by_age},
        )
    ]
    if counts.by_category:
        categories = [
            Text("overview.category", {"category": Text(f"category.{c.value}"), "count": n})
            for c, n in counts.by_category.items()
        ]
        lines.append(Text("overview.categories", {"categories": categories}))
    return lines


def _count(kind: str, n: int) -> Text:
    """One count of a line that shows several, in its own plural entry ("1 tenue", "2 tenues")."""
    return Text(f"overview.count_{kind}", {"count": n})


def _sessions(key: str, week: WeekSessions) -> Text:
    # Last week's booked sessions are those whose attendance was never recorded.
    booked = "booked" if key == "overview.sessions_this" else "unrecorded"
    return Text(
        key,
        {
            "held": _count("held", week.held),
            "missed": _count("missed", week.missed),
            "late": _count("late", week.cancelled_late),
            "booked": _count(booked, week.booked),
        },
    )


def _percent(rate: Rate) -> object:
    percent = rate.percent
    return Text("overview.none") if percent is None else Text("overview.percent", {"n": percent})


def _checkins(this: Rate, last: Rate) -> Text:
    return Text(
        "overview.checkins",
        {
            "this": _percent(this),
            "this_answered": this.answered,
            "this_asked": this.asked,
            "last": _percent(last),
            "last_answered": last.answered,
            "last_asked": last.asked,
        },
    )


def _feedback(data: Overview) -> Text:
    summary = data.feedback
    if summary.average is None:
        return Text("overview.feedback_none")
    return Text(
        "overview.feedback",
        {
            "answered": _count("answers", summary.answered),
            "average": summary.average,
            "low": _count("low", summary.low),
        },
    )


def _at_risk(data: Overview) -> list[Text]:
    if not data.at_risk:
        return [Text("overview.at_risk_none")]
    shown = [
        Text(
            "overview.at_risk_line", {"name": r.name, "mentor": r.mentor or "–", "reason": r.reason}
        )
        for r in data.at_risk[:AT_RISK_SHOWN]
    ]
    more = len(data.at_risk) - len(shown)
    tail = [Text("overview.at_risk_more", {"count": more})] if more > 0 else []
    return [Text("overview.at_risk", {"count": len(data.at_risk)}), *shown, *tail]


def _mentors(data: Overview) -> list[Text]:
    """The busiest first (most sessions missing notes, then most students)."""
    ranked = sorted(data.mentors, key=lambda m: (-m.notes_missing, -m.students, m.name.casefold()))
    shown = [
        Text(
            "overview.mentor_line",
            {
                "name": m.name,
                "students": _count("students", m.students),
                "sessions": _count("sessions", m.sessions_this_week),
                "missing": _count("notes_missing", m.notes_missing),
            },
        )
        for m in ranked[:MENTORS_SHOWN]
    ]
    more = len(ranked) - len(shown)
    tail = [Text("overview.mentors_more", {"count": more})] if more > 0 else []
    return [Text("overview.mentors", {"count": len(ranked)}), *shown, *tail]
