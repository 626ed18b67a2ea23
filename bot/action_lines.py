"""An action as the command line a person would type for it.

The console shows a message's buttons this way, so they can be typed; and it is exactly what
buttons carried before actions (`/alerts ack 7`), which `bot.actions` still reads. A test checks
that the text parser reads every line back into the same action.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot import commands as c
from bot.domain import AlertStatus, Topic
from bot.timeparse import utc_token


def _join(*words: object) -> str:
    return " ".join(str(word) for word in words if word is not None and word != "")


def _when(instant: datetime | None) -> str | None:
    return utc_token(instant) if instant is not None else None


SCOPE_WORDS = {
    AlertStatus.OPEN: "new",
    AlertStatus.ACKNOWLEDGED: "acknowledged",
    AlertStatus.RESOLVED: "resolved",
}


def _numbered(word: str, person_id: int | None) -> str | None:
    return f"{word} #{person_id}" if person_id is not None else None


def _page(page: int) -> str | None:
    return f"page {page}" if page != 1 else None


def _target(target: Topic | None) -> str:
    return "advisor" if target is None else target.value


FORMATS: dict[type, Callable[[Any], str]] = {
    c.BookSession: lambda a: _join(
        "/book", _when(a.starts_at), a.day, f"page {a.page}" if a.page > 1 else ""
    ),
    c.ListSessions: lambda a: "/sessions",
    c.CancelSession: lambda a: _join("/cancel", a.session_id, "confirm" if a.confirmed else ""),
    c.MoveSession: lambda a: _join("/move", a.session_id, _when(a.starts_at), _page(a.page)),
    c.ListAvailability: lambda a: "/availability list",
    c.ShowHelp: lambda a: "/mentorbot help",
    c.SetContactRule: lambda a: _join("/contact", a.rule and a.rule.value),
    c.AskQuestion: lambda a: _join("/ask", a.topic and f"topic={a.topic.value}"),
    c.ReplyToQuestion: lambda a: _join("/reply", a.question_id),
    c.RouteQuestion: lambda a: _join("/route", a.question_id, _target(a.target)),
    c.ListAlerts: lambda a: _join(
        "/alerts",
        "all" if a.include_closed else "" if a.state else "open",
        a.state and SCOPE_WORDS[a.state],
        a.category and a.category.value,
        _numbered("student", a.student_id),
        _numbered("mentor", a.mentor_id),
        _page(a.page),
    ),
    c.ListStudents: lambda a: _join(
        "/students",
        a.which,
        _numbered("mentor", a.mentor_id),
        a.path and f"path {a.path}",
        _page(a.page),
    ),
    c.AcknowledgeAlert: lambda a: _join("/alerts ack", a.alert_id),
    c.ResolveAlert: lambda a: _join("/alerts resolve", a.alert_id),
    c.ShowAlertDetails: lambda a: _join("/alerts details", a.alert_id),
    c.AnswerCheckin: lambda a: "/checkin",
    c.RecordAttendance: lambda a: _join("/notes", a.session_id, a.attendance),
    c.RecordDefenseOutcome: lambda a: _join("/defense", a.session_id, a.outcome),
    c.BookDefense: lambda a: _join("/book defense", _when(a.starts_at)),
    c.ShowProgress: lambda a: "/progress",
    c.SetLanguage: lambda a: _join("/mentorbot language", a.locale),
    c.ErasePerson: lambda a: _join(
        "/person erase", f"#{a.person_id}", "confirm" if a.confirmed else None
    ),
    c.SendConfidenceChart: lambda a: f"/chart #{a.student_id}",
    c.AnswerFeedback: lambda a: _join("/feedback", a.session_id, a.score),
}


def command_line(action: c.Command) -> str:
    """`/alerts ack 7` for `AcknowledgeAlert(7)`; only for actions a button may carry."""
    return FORMATS[type(action)](action)
