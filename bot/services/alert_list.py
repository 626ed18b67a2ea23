"""`/alerts`: a page of alerts, filtered by state, category, mentor and student, each alert
with its own buttons labelled with its number (acknowledge #12, resolve #12, details #12).

A page holds `PAGE` alerts: their buttons and the two paging ones stay within Discord's 25
buttons and Slack's 50 blocks, and the text within Discord's 2,000 characters, whatever the
programme's size; "1–7 of 112" says where the reader is and the next page is a button.
"""

from __future__ import annotations

from dataclasses import replace

from bot.commands import (
    AcknowledgeAlert,
    ListAlerts,
    PersonRef,
    ResolveAlert,
    ShowAlertDetails,
)
from bot.context import Context
from bot.domain import Alert, AlertStatus, Person, Role
from bot.ports.advising import AlertFilter, AlertPage
from bot.replies import Choice, Reply, Text
from bot.safety import neutralise
from bot.services.alerts import summary_of
from bot.services.people import resolve

PAGE = 7  # 3 buttons each + previous + next = 23, under Discord's 25 a message
LIVE = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)
NOTE_LENGTH = 200  # a resolution note or a second report, cut: the list is a glance


def list_alerts(ctx: Context, command: ListAlerts) -> Reply:
    ctx.require(Role.ADVISOR)
    student = _person(ctx, command.person, command.student_id)
    mentor = _person(ctx, command.mentor, command.mentor_id)
    which = AlertFilter(
        _statuses(command),
        command.category,
        student.id if student else None,
        mentor.id if mentor else None,
    )
    page = max(command.page, 1)
    found = ctx.uow.advising.alert_page(which, (page - 1) * PAGE, PAGE)
    if found.total and not found.alerts:  # past the last page: show the last one
        page = (found.total - 1) // PAGE + 1
        found = ctx.uow.advising.alert_page(which, (page - 1) * PAGE, PAGE)
    resolved = replace(
        command,
        person=None,
        mentor=None,
        student_id=which.student_id,
        mentor_id=which.mentor_id,
    )
    lines = [_header(found, page), *(_line(found, a) for a in found.alerts)]
    if student is not None:
        lines += _contact_trail(ctx, student)
    choices = [c for a in found.alerts for c in _buttons(a)] + _paging(resolved, page, found)
    return Reply(tuple(lines), tuple(choices))


def _person(ctx: Context, ref: PersonRef | None, person_id: int | None) -> Person | None:
    if ref is not None:
        return resolve(ctx, ref)
    return ctx.uow.people.get(person_id) if person_id is not None else None


def _statuses(command: ListAlerts) -> tuple[AlertStatus, ...]:
    if command.state is not None:
        return (command.state,)
    return (*LIVE, AlertStatus.RESOLVED) if command.include_closed else LIVE


def _header(found: AlertPage, page: int) -> Text:
    if not found.total:
        return Text("alert.none")
    first = (page - 1) * PAGE + 1
    return Text(
        "alerts.page",
        {"first": first, "last": first + len(found.alerts) - 1, "total": found.total},
    )


def _name(found: AlertPage, person_id: int | None) -> object:
    name = found.names.get(person_id) if person_id is not None else None
    return name if name is not None else Text("alert.system")


def _line(found: AlertPage, alert: Alert) -> Text:
    again: object = ""
    if alert.id in found.again and alert.reports > 1:
        reported = {"reports": alert.reports, "summary": _cut(found.again[alert.id])}
        again = Text("alerts.again", reported)
    resolution: object = ""
    if alert.status == AlertStatus.RESOLVED and alert.resolution_note:
        resolution = Text("alerts.resolution", {"note": _cut(alert.resolution_note)})
    return Text(
        "alerts.line",
        {
            "id": alert.id,
            "when": alert.created_at,
            "category": Text(f"category.{alert.category.value}"),
            "student": _name(found, alert.student_id),
            "mentor": _name(found, alert.raised_by),
            "summary": summary_of(alert),
            "status": _status(found, alert),
            "again": again,
            "resolution": resolution,
        },
    )


def _cut(text: str) -> str:
    cut = text if len(text) <= NOTE_LENGTH else text[: NOTE_LENGTH - 1].rstrip() + "…"
    return neutralise(cut)


def _status(found: AlertPage, alert: Alert) -> Text:
    if alert.status == AlertStatus.OPEN:
        return Text("alert.status.open")
    if alert.status == AlertStatus.ACKNOWLEDGED:
        by = {"by": _name(found, alert.acknowledged_by), "when": alert.acknowledged_at}
        return Text("alert.status.acknowledged", by)
    by = {"by": _name(found, alert.resolved_by), "when": alert.resolved_at}
    return Text("alert.status.resolved", by)


def _buttons(alert: Alert) -> list[Choice]:
    """This alert's own buttons, each saying which alert it acts on."""
    number = {"id": alert.id}
    buttons = []
    if alert.status == AlertStatus.OPEN:
        buttons.append(Choice(Text("alerts.button.ack", number), AcknowledgeAlert(alert.id)))
    if alert.status != AlertStatus.RESOLVED:
        buttons.append(Choice(Text("alerts.button.resolve", number), ResolveAlert(alert.id, "")))
    if alert.has_details:
        buttons.append(Choice(Text("alerts.button.details", number), ShowAlertDetails(alert.id)))
    return buttons


def _paging(command: ListAlerts, page: int, found: AlertPage) -> list[Choice]:
    choices = []
    if page > 1:
        earlier = replace(command, page=page - 1)
        choices.append(Choice(Text("paging.previous", {"page": page - 1}), earlier))
    if page * PAGE < found.total:
        later = replace(command, page=page + 1)
        choices.append(Choice(Text("paging.next", {"page": page + 1}), later))
    return choices


def _contact_trail(ctx: Context, student: Person) -> list[Text]:
    """The student's recent questions and what became of them (the advisor's audit)."""
    questions = ctx.uow.questions.of_student(student.id, limit=10)
    lines = [Text("audit.title", {"name": student.name})]
    lines += [
        Text(
            "audit.line",
            {
                "id": q.id,
                "when": q.created_at,
                "decision": Text(f"decision.{q.decision.value}"),
                "topic": Text(f"ask.topic.{q.topic.value}"),
            },
        )
        for q in questions
    ]
    return lines if questions else [*lines, Text("audit.none")]
