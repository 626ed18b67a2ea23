"""Alerts to the advisors: raised by mentors (or the system), acknowledged, resolved, audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.channels import advisor_channels
from bot.commands import (
    AcknowledgeAlert,
    RaiseAlert,
    ResolveAlert,
    ShowAlertDetails,
)
from bot.context import Context
from bot.domain import (
    Alert,
    AlertCategory,
    AlertEvent,
    AlertStatus,
    Notification,
    Person,
    Role,
)
from bot.errors import UserError
from bot.ports import UnitOfWork
from bot.ports.outbox import Template
from bot.replies import Choice, Reply, Text
from bot.safety import neutralise
from bot.services.people import own_student


def escalate(ctx: Context, command: RaiseAlert) -> Reply:
    ctx.require(Role.MENTOR)
    student, _ = own_student(ctx, command.person)
    alert, new = raise_alert(
        ctx.uow,
        student,
        ctx.actor,
        command.category,
        command.summary,
        command.details,
        ctx.now,
        advisor_channels(ctx.settings),
    )
    ctx.uow.commit()
    if new:
        return Reply.say("alert.raised", id=alert.id, category=_category(alert.category))
    return Reply.say("alert.added", id=alert.id, reports=alert.reports + 1)


def raise_alert(
    uow: UnitOfWork,
    student: Person,
    raised_by: Person | None,
    category: AlertCategory,
    summary: str,
    details: str | None,
    now: datetime,
    channels: Sequence[str],
    summary_texts: Sequence[Text] = (),
) -> tuple[Alert, bool]:
    """One live alert per student and category: a second raise adds to the first. The
    system's summaries are catalogue texts (`summary_texts`), rendered for each reader."""
    by = raised_by.id if raised_by else None
    existing = uow.alerts.live_for(student.id, category)
    if existing is None:
        alert = uow.alerts.add(student.id, by, category, summary, details, now, summary_texts)
        if alert is not None:
            uow.alerts.add_event(AlertEvent(alert.id, now, by, "raised", summary))
            _post(uow, alert, now, channels)
            return alert, True
        # Raised concurrently: the unique index kept one; add to it.
        existing = uow.alerts.live_for(student.id, category)
        assert existing is not None
    uow.alerts.report_again(existing.id, details)
    uow.alerts.add_event(AlertEvent(existing.id, now, by, "reported_again", summary))
    _post(uow, existing, now, channels, update=True)
    return existing, False


@dataclass(frozen=True)
class SystemAlert:
    """A system alert to raise, with what its posts show but the alert's id."""

    student: int
    summary: str
    texts: tuple[Text, ...]
    name: str | None  # the student's, None for a student not found (the post says "system")
    shown: object  # the summary as posted, one object per distinct list of reasons


def summary_of(alert: Alert) -> object:
    """What an alert's summary shows: the mentor's words, or the system's texts in order."""
    if not alert.summary_texts:
        return neutralise(alert.summary)
    return _joined(alert.summary_texts)


def _joined(summary_texts: Sequence[Text]) -> Text:
    texts = list(summary_texts)
    joined = texts.pop()
    while texts:
        joined = Text("alert.summary_join", {"first": texts.pop(), "rest": joined})
    return joined


def _category(category: AlertCategory) -> Text:
    return Text(f"category.{category.value}")


def _status(uow: UnitOfWork, alert: Alert) -> Text:
    if alert.status == AlertStatus.OPEN:
        return Text("alert.status.open")
    if alert.status == AlertStatus.ACKNOWLEDGED:
        who = _name(uow, alert.acknowledged_by)
        return Text("alert.status.acknowledged", {"by": who, "when": alert.acknowledged_at})
    who = _name(uow, alert.resolved_by)
    return Text("alert.status.resolved", {"by": who, "when": alert.resolved_at})


def _name(uow: UnitOfWork, person_id: int | None) -> object:
    person = uow.people.get(person_id) if person_id is not None else None
    return person.name if person else Text("alert.system")


# The buttons' labels, one object each: the outbox encodes a text shared by a batch once.
ACKNOWLEDGE, RESOLVE, DETAILS = (Text(f"choice.{k}") for k in ("acknowledge", "resolve", "details"))


def _buttons(alert: Alert) -> tuple[Choice, ...]:
    return _choices(alert.id, alert.status, alert.has_details)


def _choices(alert_id: int, status: AlertStatus, has_details: bool) -> tuple[Choice, ...]:
    buttons = []
    if status == AlertStatus.OPEN:
        buttons.append(Choice(ACKNOWLEDGE, AcknowledgeAlert(alert_id)))
    if status != AlertStatus.RESOLVED:
        buttons.append(Choice(RESOLVE, ResolveAlert(alert_id, "")))
    if has_details:
        buttons.append(Choice(DETAILS, ShowAlertDetails(alert_id)))
    return tuple(buttons)


def _post(
    uow: UnitOfWork,
    alert: Alert,
    now: datetime,
    channels: Sequence[str],
    *,
    update: bool = False,
) -> None:
    """The channel message: summary only, never the private details."""
    alert = uow.alerts.get(alert.id) or alert
    params = {
        "id": alert.id,
        "category": _category(alert.category),
        "student": _name(uow, alert.student_id),
        "mentor": _name(uow, alert.raised_by),
        "summary": summary_of(alert),
        "reports": alert.reports,
        "status": _status(uow, alert),
    }
    version = len(uow.alerts.events(alert.id)) if update else 0
    posts = _posts(alert.id, _buttons(alert), params, channels, version, update=update)
    uow.outbox.add_many(posts, now)


def _posts(
    alert_id: int,
    buttons: tuple[Choice, ...],
    params: dict[str, object],
    channels: Sequence[str],
    version: int,
    *,
    update: bool = False,
) -> list[Notification]:
    """The alert's message in each advisors' channel (a new version edits the first)."""
    posts = []
    for channel in channels:
        first = f"alert:{alert_id}:post:{channel}"
        posts.append(
            Notification(
                idempotency_key=f"{first}:{version}" if update else first,
                recipient_id=None,
                channel=channel,
                key="alert.post",
                params=params,
                choices=buttons,
                updates=first if update else None,
            )
        )
    return posts


def draft_system_alerts(
    category: AlertCategory,
    flagged: Sequence[tuple[int, Sequence[Text]]],
    names: dict[int, str],
) -> list[SystemAlert]:
    """A batch of new system alerts and what their posts show but their ids, drawn before the
    batch's write transaction: on SQLite a command waits behind the write lock for what is
    done while it is held."""
    # One summary, texts and shown summary per distinct list of reasons: by the list (the
    # scan shares one between the students with the same reasons), then by its value.
    shared: dict[int, tuple[Sequence[Text], tuple[str, tuple[Text, ...], object]]] = {}
    equal: dict[str, tuple[str, tuple[Text, ...], object]] = {}
    drafts = []
    for student, texts in flagged:
        if (known := shared.get(id(texts))) is None:
            if (summary_of := equal.get(reasons := repr(texts))) is None:
                summary = " ".join(t.key for t in texts)
                posted: object = _joined(texts) if texts else neutralise(summary)
                summary_of = equal[reasons] = (summary, tuple(texts), posted)
            known = shared[id(texts)] = (texts, summary_of)  # the list kept: its id stays its own
        summary, reasons_of, shown = known[1]
        drafts.append(SystemAlert(student, summary, reasons_of, names.get(student), shown))
    return drafts


def raise_system_alerts(
    uow: UnitOfWork,
    category: AlertCategory,
    drafts: Sequence[SystemAlert],
    now: datetime,
    channels: Sequence[str],
) -> int:
    """New alerts the system raises for many students at once (a batch of the daily scan,
    drafted by `draft_system_alerts`), each posted as `raise_alert` posts it, in a handful of
    statements whatever their number. Students with a live one of this category are skipped
    (the job checks first; the unique index too)."""
    created = add_system_alerts(uow, category, drafts, now)
    post_system_alerts(uow, category, drafts, created, now, channels)
    return len(created)


def add_system_alerts(
    uow: UnitOfWork, category: AlertCategory, drafts: Sequence[SystemAlert], now: datetime
) -> dict[int, int]:
    """`raise_system_alerts`' first step: the alerts and their events, their ids by student."""
    return uow.alerts.add_many(category, [(d.student, d.summary, d.texts) for d in drafts], now)


def post_system_alerts(
    uow: UnitOfWork,
    category: AlertCategory,
    drafts: Sequence[SystemAlert],
    created: dict[int, int],
    now: datetime,
    channels: Sequence[str],
) -> None:
    """`raise_system_alerts`' second step: the posts of the alerts `created` (by student)."""
    # The posts differ by their alert's id and student's name only, for each channel and
    # summary: one template each, encoded once (Outbox.add_alike).
    templates: dict[tuple[int, str, bool], Template] = {}
    posts: list[tuple[Template, int, str]] = []
    for draft in drafts:
        if (alert_id := created.get(draft.student)) is None:
            continue
        for channel in channels:
            which = (id(draft.shown), channel, draft.name is None)
            if (template := templates.get(which)) is None:
                template = templates[which] = _new_post(category, draft.shown, channel, draft.name)
            posts.append((template, alert_id, draft.name or ""))
    uow.outbox.add_alike(posts, now)


def _new_post(category: AlertCategory, shown: object, channel: str, name: str | None) -> Template:
    """A new system alert's post in `channel`, from its id and its student's name: open,
    without details' buttons, no Alert object per alert."""
    kind, system, status = _category(category), Text("alert.system"), Text("alert.status.open")

    def post(alert_id: int, student: str) -> Notification:
        params = {
            "id": alert_id,
            "category": kind,
            "student": system if name is None else student,
            "mentor": system,
            "summary": shown,
            "reports": 1,
            "status": status,
        }
        buttons = _choices(alert_id, AlertStatus.OPEN, False)
        return _posts(alert_id, buttons, params, (channel,), 0)[0]

    return post


def _advisor_alert(ctx: Context, alert_id: int) -> Alert:
    ctx.require(Role.ADVISOR)
    alert = ctx.uow.alerts.get(alert_id)
    if alert is None:
        raise UserError("alert.not_found", id=alert_id)
    return alert


def acknowledge(ctx: Context, command: AcknowledgeAlert) -> Reply:
    alert = _advisor_alert(ctx, command.alert_id)
    if alert.status != AlertStatus.OPEN:
        raise UserError("alert.not_open", id=alert.id, status=_status(ctx.uow, alert))
    ctx.uow.alerts.acknowledge(alert.id, ctx.actor.id, ctx.now)
    ctx.uow.alerts.add_event(AlertEvent(alert.id, ctx.now, ctx.actor.id, "acknowledged"))
    _post(ctx.uow, alert, ctx.now, advisor_channels(ctx.settings), update=True)
    _tell_raiser(ctx, alert, "acknowledged")
    ctx.uow.commit()
    return Reply.say("alert.acknowledged", id=alert.id)


def resolve_alert(ctx: Context, command: ResolveAlert) -> Reply:
    alert = _advisor_alert(ctx, command.alert_id)
    if alert.status == AlertStatus.RESOLVED:
        raise UserError("alert.not_open", id=alert.id, status=_status(ctx.uow, alert))
    if not command.note:
        raise UserError("alert.resolve_needs_note", id=alert.id)
    ctx.uow.alerts.resolve(alert.id, ctx.actor.id, ctx.now, command.note)
    ctx.uow.alerts.add_event(AlertEvent(alert.id, ctx.now, ctx.actor.id, "resolved", command.note))
    _post(ctx.uow, alert, ctx.now, advisor_channels(ctx.settings), update=True)
    _tell_raiser(ctx, alert, "resolved")
    ctx.uow.commit()
    return Reply.say("alert.resolved", id=alert.id)


def _tell_raiser(ctx: Context, alert: Alert, what: str) -> None:
    """The mentor who raised the alert hears it was taken up, then closed: who and when,
    never the resolution note (the advisors' own)."""
    if alert.raised_by is None or alert.raised_by == ctx.actor.id:
        return
    params = {
        "id": alert.id,
        "category": _category(alert.category),
        "student": _name(ctx.uow, alert.student_id),
        "by": ctx.actor.name,
        "when": ctx.now,
    }
    ctx.uow.outbox.add_many(
        [
            Notification(
                idempotency_key=f"alert:{alert.id}:{what}:raiser",
                recipient_id=alert.raised_by,
                channel=None,
                key=f"alert.raiser_{what}",
                params=params,
            )
        ],
        ctx.now,
    )


def show_details(ctx: Context, command: ShowAlertDetails) -> Reply:
    """Private details, to the advisor who asks only; the viewing is audited."""
    alert = _advisor_alert(ctx, command.alert_id)
    details = ctx.uow.alerts.details(alert.id)
    ctx.uow.alerts.add_event(AlertEvent(alert.id, ctx.now, ctx.actor.id, "details_viewed"))
    ctx.uow.commit()
    if not details:
        return Reply.say("alert.no_details", id=alert.id)
    return Reply.say("alert.details", id=alert.id, details=neutralise(details))


def ping_overdue(uow: UnitOfWork, now: datetime, ack_hours: float, channels: Sequence[str]) -> int:
    """Ping the advisors again about alerts still unacknowledged, once per period; idempotent."""
    period = timedelta(hours=ack_hours)
    overdue = uow.alerts.unacknowledged_since(now - period)
    people = uow.people.get_many(a.student_id for a in overdue)  # a few statements for all
    posts: list[Notification] = []
    for alert in overdue:
        round_ = int((now - alert.created_at) / period)
        student = people.get(alert.student_id)
        params = {
            "id": alert.id,
            "hours": round(ack_hours * round_),
            "category": _category(alert.category),
            "student": student.name if student else Text("alert.system"),
        }
        posts.extend(
            [
                Notification(
                    idempotency_key=f"alert:{alert.id}:ping:{round_}:{channel}",
                    recipient_id=None,
                    channel=channel,
                    key="alert.overdue",
                    params=params,
                    choices=_buttons(alert),
                )
                for channel in channels
            ]
        )
    uow.outbox.add_many(posts, now)
    uow.alerts.mark_pinged_many([a.id for a in overdue], now)
    uow.alerts.add_events([AlertEvent(a.id, now, None, "pinged") for a in overdue])
    uow.commit()
    return len(overdue)
