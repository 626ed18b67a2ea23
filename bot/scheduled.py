"""Scheduled jobs: each derives its due work from the database and is safe to run twice.

A job takes a unit of work, the current time and the settings, queues notifications through
the outbox, commits, and returns how many things it queued. The scheduler adapter only ticks.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from bot import collector, privacy, trends
from bot.channels import advisor_channels
from bot.chart_files import weekly_chart_of
from bot.commands import AnswerCheckin, RecordAttendance
from bot.domain import (
    AlertCategory,
    Checkin,
    Decision,
    Notification,
    Question,
    Session,
    SessionKind,
    StudentActivity,
)
from bot.ports import UnitOfWork
from bot.ports.outbox import RECIPIENT
from bot.reminder_notes import previous, reminder_notes
from bot.replies import Choice, Text
from bot.safety import neutralise
from bot.services import alerts
from bot.services.excused import in_holidays, reconsidered
from bot.services.feedback import surveys
from bot.services.nudges import nudges
from bot.settings import Settings, parse_checkin_schedule

log = logging.getLogger(__name__)

Job = Callable[[UnitOfWork, datetime, Settings], int]
# Rows a job writes per transaction: big enough to be set-based, small enough that a
# command waiting for SQLite's write lock waits only for one batch (tens of milliseconds on a
# loaded 2-core machine; 2,000 a batch made a one-row command wait 0.3-0.56 s behind 10,000
# check-ins: bench/scale.py's `wait` step).
BATCH = 500
# The digest names this many students at risk, the latest; a channel post of 10,000 names is a
# wall no advisor reads: the rest are counted ("and 9,980 more").
AT_RISK_NAMED = 20


def checkins(uow: UnitOfWork, now: datetime, settings: Settings) -> int:
    """This ISO week's check-in, once its local day and time have come, for each active student."""
    if in_holidays(now, settings):
        return 0  # school holidays: nobody is asked, and those weeks never count
    weekday, at = parse_checkin_schedule(settings.checkin_schedule)
    weeks: dict[str, tuple[int, int]] = {}
    with uow.reads() as reads:  # a scan of every student: no command waits behind it
        zones = reads.checkins.zones(now)
    for timezone in zones:
        if (week := _open_week(now, ZoneInfo(timezone), weekday, at)) is not None:
            weeks[timezone] = week
    zones_by_week: dict[tuple[int, int], list[str]] = defaultdict(list)
    for timezone, week in weeks.items():
        zones_by_week[week].append(timezone)
    queued, writers = 0, uow.writers()
    for week, zones in zones_by_week.items():
        plan = partial(_plan_share, week=week, zones=zones, now=now, prompt=_prompt(week))
        # The week's students in shares (one on SQLite), this unit of work planning the first
        # and a writer beside it each other one, at the same time (see UnitOfWork.writers).
        first, *others = uow.checkins.shares(writers) or [(0, 0)]
        with ThreadPoolExecutor(max(len(others), 1), thread_name_prefix="checkins") as pool:
            beside = [pool.submit(_plan_beside, uow, plan, share) for share in others]
            queued += plan(uow, first)
            queued += sum(future.result() for future in beside)
    return queued


def _plan_share(
    uow: UnitOfWork,
    share: tuple[int, int],
    *,
    week: tuple[int, int],
    zones: list[str],
    now: datetime,
    prompt: Notification,
) -> int:
    """A week's check-ins for the students of `share` (their ids after, until)."""
    queued, (after, until), size = 0, share, uow.checkins.page_size(BATCH)
    while page := uow.checkins.open_page(week, zones, now, after, size, prompt, until):
        created, after = page
        queued += created
        uow.commit()  # page by page: no command waits long behind the job
    return queued


def _plan_beside(
    uow: UnitOfWork, plan: Callable[[UnitOfWork, tuple[int, int]], int], share: tuple[int, int]
) -> int:
    with uow.writer() as writer:
        return plan(writer, share)


def _open_week(now: datetime, zone: ZoneInfo, weekday: int, at: time) -> tuple[int, int] | None:
    """The ISO week whose check-in has opened in `zone` (its local day and time have come)."""
    local = now.astimezone(zone)
    monday = local.date() - timedelta(days=local.weekday())
    opens = datetime.combine(monday + timedelta(days=weekday), at, zone)
    year, week, _ = local.isocalendar()
    return (year, week) if now >= opens else None


def _prompt(week: tuple[int, int]) -> Notification:
    """The week's check-in prompt, one for every student: the database puts each one's id in
    its key, and the payload is encoded once for them all."""
    year, number = week
    return Notification(
        idempotency_key=f"checkin:{RECIPIENT}:{year}-W{number:02d}",
        recipient_id=None,
        key="checkin.prompt",
        choices=(Choice(Text("choice.checkin"), AnswerCheckin(None)),),
    )


def reminders(uow: UnitOfWork, now: datetime, settings: Settings) -> int:
    """Reminders before sessions; after downtime only the nearest useful one is sent."""
    offsets = sorted(set(settings.reminder_offsets_minutes))
    sessions = uow.reminders.starting_between(now, now + timedelta(minutes=max(offsets)))
    logged = uow.reminders.logged(sessions)
    entries: list[tuple[Session, int, str]] = []
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
            entries.append((session, late, "skipped"))
        entries.append((session, due[0], "sent"))
    uow.reminders.log_many(entries, now)
    queued = _remind(uow, [(s, offset) for s, offset, outcome in entries if outcome == "sent"], now)
    queued += _attendance_prompts(uow, now)
    uow.commit()
    return queued


def _remind(uow: UnitOfWork, due: list[tuple[Session, int]], now: datetime) -> int:
    """Every due reminder at once: the people, briefings and outbox rows in a few statements."""
    people = uow.people.get_many({s.student_id for s, _ in due} | {s.host_id for s, _ in due})
    briefings = _briefings(uow, [s for s, _ in due])
    notes = [
        note
        for session, offset in due
        for note in reminder_notes(session, offset, people, briefings)
    ]
    uow.outbox.add_many(notes, now)
    return len(notes)


def _briefings(uow: UnitOfWork, sessions: list[Session]) -> dict[int, dict[str, object]]:
    """What each mentor reads before a mentoring session, by student: three queries for all."""
    students = {s.student_id for s in sessions if s.kind == SessionKind.MENTORING}
    if not students:
        return {}
    checkins = uow.checkins.recent_of(students)
    questions = uow.questions.of_students(students, limit=20)
    notes = uow.notes.latest_of(sorted(students))  # the last session's notes and goals
    return {
        s: {**_briefing(checkins.get(s, []), questions.get(s, [])), **previous(notes.get(s))}
        for s in students
    }


def _briefing(recent: list[Checkin], questions: list[Question]) -> dict[str, object]:
    """The last check-in answered (of the latest six) and the questions kept for the session."""
    answered = [c for c in recent if c.answered_at]
    checkin: Text = Text("reminder.no_checkin")
    if answered:
        last = answered[0]
        answers = Text(
            "reminder.checkin",
            {
                "confidence": last.confidence,
                "progress": neutralise(last.progress or ""),
                "blockers": neutralise(last.blockers or ""),
                "goal": neutralise(last.goal or ""),
            },
        )
        checkin = Text("week.checkin_dated", {"day": last.answered_at, "answers": answers})
    agenda = [
        neutralise(q.text)
        for q in reversed(questions)
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
                Choice(Text(f"attendance.choice.{a}"), RecordAttendance(s.id, a))
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
    """One automatic alert per disengaging student, never a second while one is open.

    The scan is read without the write lock (the job's claim is committed first) and the
    alerts are raised a batch per transaction: a command waits for one batch, never the job."""
    uow.commit()
    with collector.paused():
        with uow.reads() as reads:
            new = _disengaging(reads, now, settings)
            names = reads.people.names(student for student, _ in new)
        size = uow.alerts.batch_size(BATCH)
        batches = [new[start : start + size] for start in range(0, len(new), size)]
        if len(batches) > 1 and uow.writers() > 1:
            with uow.writer() as writer:
                return _raise_beside((uow, writer), batches, names, now, settings)
        channels, raised, category = advisor_channels(settings), 0, AlertCategory.DISENGAGEMENT
        for batch in batches:
            # Drawn before the batch's transaction, which holds SQLite's write lock: it only
            # writes.
            drafts = alerts.draft_system_alerts(category, batch, names)
            raised += alerts.raise_system_alerts(uow, category, drafts, now, channels)
            uow.commit()
        return raised


def _raise_beside(
    units: tuple[UnitOfWork, UnitOfWork],
    batches: list[list[tuple[int, list[Text]]]],
    names: dict[int, str],
    now: datetime,
    settings: Settings,
) -> int:
    """The batches on two units of work taking turns (PostgreSQL), a batch's posts written
    (by the pool's one thread) while the next batch's alerts are: each batch one transaction
    of its unit, as with one writer, and every row where one writer puts it (a batch's
    alerts after the batch's before, its posts after that batch's posts, so each id is the
    one a single writer gives)."""
    channels, category = advisor_channels(settings), AlertCategory.DISENGAGEMENT
    raised, posted = 0, list[Future[None]]()
    with ThreadPoolExecutor(1, thread_name_prefix="disengagement") as pool:
        for n, batch in enumerate(batches):
            unit = units[n % len(units)]
            if n >= len(units):
                posted[n - len(units)].result()  # the unit's previous batch, committed
            drafts = alerts.draft_system_alerts(category, batch, names)
            created = alerts.add_system_alerts(unit, category, drafts, now)
            raised += len(created)
            post = partial(_post, unit, category, drafts, created, now, channels)
            posted.append(pool.submit(post))
        for done in posted:
            done.result()
    return raised


def _post(
    uow: UnitOfWork,
    category: AlertCategory,
    drafts: list[alerts.SystemAlert],
    created: dict[int, int],
    now: datetime,
    channels: tuple[str, ...],
) -> None:
    alerts.post_system_alerts(uow, category, drafts, created, now, channels)
    uow.commit()


def _disengaging(
    uow: UnitOfWork, now: datetime, settings: Settings
) -> list[tuple[int, list[Text]]]:
    """The students to alert and why: flagged, their excused weeks left out, none live."""
    reachable = {student_id for student_id, _ in uow.checkins.candidates(now)}
    window = timedelta(days=settings.disengagement_window_days)
    quiet = timedelta(weeks=settings.disengagement_weeks_without_booking)
    streak = settings.disengagement_missed_checkins
    settled_by = now - quiet  # joined before: in the programme long enough to have booked
    known: dict[tuple[int | None, int | None, bool], list[Text]] = {}
    scanned = [
        (activity, reasons)
        for activity in uow.activity.scan(now, window, quiet, streak)
        if activity.student_id in reachable
        and (reasons := _reasons(activity, settled_by, settings, known))
    ]
    # Weeks of time off, pause or holidays never count: the flagged are looked at again, all
    # at once (a few statements whatever their number).
    flagged = [(s, reasons) for s, reasons in reconsidered(uow, scanned, now, settings) if reasons]
    # One alert per student, never a second while one is live (the unique index makes sure
    # of it for one raised meanwhile).
    live = uow.alerts.live_students(AlertCategory.DISENGAGEMENT)
    return [(student, reasons) for student, reasons in flagged if student not in live]


def _reasons(
    activity: StudentActivity,
    settled_by: datetime,
    settings: Settings,
    known: dict[tuple[int | None, int | None, bool], list[Text]],
) -> list[Text]:
    """Why the student is flagged: one list per distinct reasons, shared by the students who
    have them and never changed (10,000 students have a handful: the drafts, the alerts'
    encoding and the posts' templates take each once)."""
    missed, absences = activity.missed_checkins, activity.absences
    which = (
        missed if missed >= settings.disengagement_missed_checkins else None,
        absences if absences >= settings.disengagement_absences else None,
        activity.joined_at <= settled_by and not activity.has_recent_session,
    )
    if (reasons := known.get(which)) is None:
        reasons = known[which] = _texts(*which, settings)
    return reasons


def _texts(
    missed: int | None, absences: int | None, unbooked: bool, settings: Settings
) -> list[Text]:
    reasons = []
    if missed is not None:
        reasons.append(Text("disengagement.checkins", {"count": missed}))
    if absences is not None:
        days = settings.disengagement_window_days
        reasons.append(Text("disengagement.absences", {"count": absences, "days": days}))
    if unbooked:
        weeks = settings.disengagement_weeks_without_booking
        reasons.append(Text("disengagement.no_booking", {"weeks": weeks}))
    return reasons


def digest(uow: UnitOfWork, now: datetime, settings: Settings) -> int:
    """The advisors' weekly digest: sessions per mentor, open alerts, students at risk, defenses.

    Read in a reading unit of work and drawn outside any transaction; only its outbox rows are
    written, in a short write transaction (SQLite's write lock was held through the drawing).
    The job's claim is committed first: the rows are keyed by week, so a run by hand after a
    failed one queues what is missing and nothing twice."""
    uow.commit()
    with uow.reads() as reads:
        params = _digest_params(reads, now)
        weeks = trends.weekly(reads, now, ZoneInfo(settings.timezone))
    chart = (weekly_chart_of(weeks, now, settings),)  # the last 12 weeks, one PNG for all
    year, number, _ = now.isocalendar()
    uow.outbox.add_many(
        [
            Notification(
                f"digest:{year}-W{number:02d}:{c}",
                None,
                "digest.weekly",
                params,
                channel=c,
                attachments=chart,
            )
            for c in advisor_channels(settings)
        ],
        now,
    )
    uow.commit()
    return 1


def _digest_params(uow: UnitOfWork, now: datetime) -> dict[str, object]:
    """The digest's text: the week's sessions per mentor, live alerts, students at risk (the
    latest named, the rest counted), defenses."""
    week = timedelta(days=7)
    held_missed = uow.notes.held_and_missed(now - week, now)
    live = uow.reports.live_alert_names(limit=AT_RISK_NAMED)
    coming = uow.reminders.starting_between(now, now + week, SessionKind.DEFENSE)
    named = {*held_missed, *(p for s in coming for p in (s.student_id, s.host_id))}
    names = uow.people.names(named) if named else {}
    mentors = [
        Text("digest.mentor", {"name": names.get(host, "?"), "held": held, "missed": missed})
        for host, (held, missed) in sorted(held_missed.items())
    ]
    at_risk: list[str | Text] = [*sorted(live.names)]
    if live.at_risk > len(live.names):
        at_risk.append(Text("digest.more", {"count": live.at_risk - len(live.names)}))
    defenses = [
        Text(
            "digest.defense",
            {
                "student": names.get(s.student_id, "?"),
                "validator": names.get(s.host_id, "?"),
                "when": s.starts_at,
            },
        )
        for s in coming
    ]
    none = Text("digest.none")
    return {
        "mentors": mentors or none,
        "alerts": live.total,
        "at_risk": at_risk or none,
        "defenses": defenses or none,
    }


def unparked(uow: UnitOfWork, now: datetime, settings: Settings) -> int:
    """Once a day, messages kept for people no platform reached are routed again: someone who
    joined Slack since is found by email, and gets them."""
    count = uow.outbox.unpark(now - timedelta(hours=20))
    uow.commit()
    return count


def pruned(uow: UnitOfWork, now: datetime, settings: Settings) -> int:
    """Once a day, the outbox forgets messages sent or given up more than the retention ago,
    a batch per transaction (SQLite's writers never wait long behind it)."""
    before = now - timedelta(days=settings.outbox_retention_days)
    deleted = 0
    while (count := uow.outbox.prune(before, BATCH)) > 0:
        uow.commit()
        deleted += count
        if count < BATCH:
            break
    log.info(
        "outbox: %d messages older than %d days pruned", deleted, settings.outbox_retention_days
    )
    return 0  # nothing queued: the count is logged, not delivered


JOBS: dict[str, Job] = {
    "checkins": checkins,
    "reminders": reminders,
    "alerts": ping_alerts,
    "disengagement": disengagement,
    "digest": digest,
    "unparked": unparked,
    "surveys": surveys,
    "nudges": nudges,
    "retention": privacy.retention,
    "pruned": pruned,
}
