"""Scheduled jobs: each derives its due work from the database and is safe to run twice.

A job takes a unit of work, the current time and the settings, queues notifications through
the outbox, commits, and returns how many things it queued. The scheduler adapter only ticks.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.channels import advisor_channels
from bot.domain import (
    AlertCategory,
    AlertStatus,
    Decision,
    Notification,
    Session,
    SessionKind,
    StudentActivity,
)
from bot.i18n import Renderer
from bot.ports import UnitOfWork
from bot.replies import Choice, Text
from bot.safety import neutralise
from bot.services import alerts, invites
from bot.settings import Settings, parse_checkin_schedule

log = logging.getLogger(__name__)

Job = Callable[[UnitOfWork, datetime, Settings], int]


def checkins(uow: UnitOfWork, now: datetime, settings: Settings) -> int:
    """This ISO week's check-in, once its local day and time have come, for each active student."""
    weekday, at = parse_checkin_schedule(settings.checkin_schedule)
    due: dict[tuple[int, int], list[int]] = defaultdict(list)
    weeks: dict[str, tuple[int, int] | None] = {}
    for student_id, timezone in uow.checkins.candidates(now):
        if timezone not in weeks:
            local = now.astimezone(ZoneInfo(timezone))
            monday = local.date() - timedelta(days=local.weekday())
            opens = datetime.combine(monday + timedelta(days=weekday), at, ZoneInfo(timezone))
            year, week, _ = local.isocalendar()
            weeks[timezone] = (year, week) if now >= opens else None
        if (week_key := weeks[timezone]) is not None:
            due[week_key].append(student_id)
    notifications = []
    for (year, week), students in due.items():
        for student_id in uow.checkins.create((year, week), students, now):
            notifications.append(
                Notification(
                    idempotency_key=f"checkin:{student_id}:{year}-W{week:02d}",
                    recipient_id=student_id,
                    key="checkin.prompt",
                    choices=(Choice(Text("choice.checkin"), "/checkin"),),
                )
            )
    uow.outbox.add_many(notifications, now)
    uow.commit()
    return len(notifications)


def reminders(uow: UnitOfWork, now: datetime, settings: Settings) -> int:
    """Reminders before sessions; after downtime only the nearest useful one is sent."""
    offsets = sorted(set(settings.reminder_offsets_minutes))
    sessions = uow.reminders.starting_between(now, now + timedelta(minutes=max(offsets)))
    logged = uow.reminders.logged(sessions)
    queued = 0
    for session in sessions:
        due = [
            o
            for o in offsets
            if session.starts_at - now <= timedelta(minutes=o)
            and (session.id, session.starts_at, o) not in logged
        ]
        if not due:
            continue
        for late in due[1:]:
            log.info("skipped the %s-minute reminder of session %s: late", late, session.id)
            uow.reminders.log(session, late, "skipped", now)
        uow.reminders.log(session, due[0], "sent", now)
        queued += _remind(uow, session, due[0], now)
    queued += _attendance_prompts(uow, now)
    uow.commit()
    return queued


def _remind(uow: UnitOfWork, session: Session, offset: int, now: datetime) -> int:
    key = f"reminder:{session.id}:{session.starts_at:%Y%m%dT%H%M}:{offset}"
    student, host = uow.people.get(session.student_id), uow.people.get(session.host_id)
    if student is None or host is None:
        return 0
    base = {"id": session.id, "when": session.starts_at}
    notes = [
        Notification(
            f"{key}:{student.id}",
            student.id,
            "reminder.student",
            {**base, "with": host.name},
        ),
        Notification(
            f"{key}:{host.id}",
            host.id,
            f"reminder.host.{session.kind.value}",
            {**base, "with": student.name, **_briefing(uow, session)},
        ),
    ]
    uow.outbox.add_many([invites.with_join(n, session) for n in notes], now)
    return len(notes)


def _briefing(uow: UnitOfWork, session: Session) -> dict[str, object]:
    """What the mentor reads before a session: the last check-in and the kept questions."""
    if session.kind != SessionKind.MENTORING:
        return {}
    answered = [c for c in uow.checkins.recent(session.student_id) if c.answered_at]
    checkin: Text = Text("reminder.no_checkin")
    if answered:
        last = answered[0]
        checkin = Text(
            "reminder.checkin",
            {
                "confidence": last.confidence,
                "progress": neutralise(last.progress or ""),
                "blockers": neutralise(last.blockers or ""),
                "goal": neutralise(last.goal or ""),
            },
        )
    agenda = [
        neutralise(q.text)
        for q in reversed(uow.questions.of_student(session.student_id, limit=20))
        if q.decision == Decision.AGENDA and q.answer is None
    ]
    return {"checkin": checkin, "agenda": agenda or Text("reminder.no_agenda")}


def _attendance_prompts(uow: UnitOfWork, now: datetime) -> int:
    """After a session, ask its host to record attendance (`/notes`)."""
    ended = uow.reminders.ended_between(now - timedelta(days=2), now)
    notes = [
        Notification(
            idempotency_key=f"attendance:{s.id}",
            recipient_id=s.host_id,
            key="attendance.prompt",
            params={"id": s.id, "when": s.starts_at},
            choices=tuple(
                Choice(Text(f"attendance.choice.{a}"), f"/notes {s.id} {a}")
                for a in ("present", "absent", "late")
            ),
        )
        for s in ended
    ]
    uow.outbox.add_many(notes, now)
    return len(notes)


def ping_alerts(uow: UnitOfWork, now: datetime, settings: Settings) -> int:
    return alerts.ping_overdue(uow, now, settings.alert_ack_hours, advisor_channels(settings))


def disengagement(uow: UnitOfWork, now: datetime, settings: Settings) -> int:
    """One automatic alert per disengaging student, never a second while one is open."""
    reachable = {student_id for student_id, _ in uow.checkins.candidates(now)}
    window = timedelta(days=settings.disengagement_window_days)
    quiet = timedelta(weeks=settings.disengagement_weeks_without_booking)
    streak = settings.disengagement_missed_checkins
    renderer = Renderer(settings.locale, settings.timezone)
    raised = 0
    for activity in uow.activity.scan(now, window, quiet, streak):
        reasons = _reasons(activity, now, settings)
        if not reasons or activity.student_id not in reachable:
            continue
        if uow.alerts.live_for(activity.student_id, AlertCategory.DISENGAGEMENT):
            continue
        student = uow.people.get(activity.student_id)
        assert student is not None
        summary = " ".join(renderer.text(reason) for reason in reasons)
        alerts.raise_alert(
            uow,
            student,
            None,
            AlertCategory.DISENGAGEMENT,
            summary,
            None,
            now,
            advisor_channels(settings),
        )
        raised += 1
    uow.commit()
    return raised


def _reasons(activity: StudentActivity, now: datetime, settings: Settings) -> list[Text]:
    reasons = []
    if activity.missed_checkins >= settings.disengagement_missed_checkins:
        reasons.append(Text("disengagement.checkins", {"count": activity.missed_checkins}))
    if activity.absences >= settings.disengagement_absences:
        days = settings.disengagement_window_days
        reasons.append(Text("disengagement.absences", {"count": activity.absences, "days": days}))
    weeks = settings.disengagement_weeks_without_booking
    settled = activity.joined_at <= now - timedelta(weeks=weeks)
    if settled and not activity.has_recent_session:
        reasons.append(Text("disengagement.no_booking", {"weeks": weeks}))
    return reasons


def digest(uow: UnitOfWork, now: datetime, settings: Settings) -> int:
    """The advisors' weekly digest: sessions per mentor, open alerts, students at risk, defenses."""
    week = timedelta(days=7)
    held_missed = uow.notes.held_and_missed(now - week, now)
    mentors = [
        Text("digest.mentor", {"name": _name(uow, host), "held": held, "missed": missed})
        for host, (held, missed) in sorted(held_missed.items())
    ]
    live = uow.alerts.listing((AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED), None, limit=500)
    at_risk = sorted(
        {_name(uow, a.student_id) for a in live if a.category == AlertCategory.DISENGAGEMENT}
    )
    defenses = [
        Text(
            "digest.defense",
            {
                "student": _name(uow, s.student_id),
                "validator": _name(uow, s.host_id),
                "when": s.starts_at,
            },
        )
        for s in uow.reminders.starting_between(now, now + week)
        if s.kind == SessionKind.DEFENSE
    ]
    none = Text("digest.none")
    params: dict[str, object] = {
        "mentors": mentors or none,
        "alerts": len(live),
        "at_risk": at_risk or none,
        "defenses": defenses or none,
    }
    year, number, _ = now.isocalendar()
    uow.outbox.add_many(
        [
            Notification(
                f"digest:{year}-W{number:02d}:{c}", None, "digest.weekly", params, channel=c
            )
            for c in advisor_channels(settings)
        ],
        now,
    )
    uow.commit()
    return 1


def _name(uow: UnitOfWork, person_id: int) -> str:
    person = uow.people.get(person_id)
    return person.name if person else "?"


def unparked(uow: UnitOfWork, now: datetime, settings: Settings) -> int:
    """Once a day, messages kept for people no platform reached are routed again: someone who
    joined Slack since is found by email, and gets them."""
    count = uow.outbox.unpark(now - timedelta(hours=20))
    uow.commit()
    return count


JOBS: dict[str, Job] = {
    "checkins": checkins,
    "reminders": reminders,
    "alerts": ping_alerts,
    "disengagement": disengagement,
    "digest": digest,
    "unparked": unparked,
}
