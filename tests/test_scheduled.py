"""The scheduled jobs, with a clock that only moves when told: check-ins, reminders, catch-up,
disengagement."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import scheduled
from bot.action_lines import command_line
from bot.clock import ManualClock
from bot.domain import AlertCategory, AlertStatus
from bot.i18n import Renderer
from bot.outbox import OutboxWorker
from bot.replies import Text
from bot.services.roster import import_roster
from storage.database import Database
from tests.conftest import Programme, make_settings
from tests.recording import RecordingDeliverer

SETTINGS = make_settings("sqlite://", checkin_schedule="mon 09:00")
ZONES = {"paris": "Europe/Paris", "toronto": "America/Toronto", "sydney": "Australia/Sydney"}
ZONE_IDS: dict[str, int] = {}


def run(programme: Programme, job: str, **settings: object) -> int:
    with programme.database.uow() as uow:
        return scheduled.JOBS[job](
            uow, programme.clock.now(), make_settings("sqlite://", **settings)
        )


def outbox_keys(database: Database) -> list[str]:

    deliverer = RecordingDeliverer()
    OutboxWorker(database.uow, ManualClock(datetime(2100, 1, 1, tzinfo=UTC)), deliverer).drain()
    return [n.idempotency_key for _, n in deliverer.sent]


def zoned_students(database: Database, clock: ManualClock) -> dict[str, int]:
    rows = ["m@z.org,Mentor,mentor,Europe/Paris,fr,,,,,,"]
    rows += [f"{n}@z.org,{n},student,{zone},en,,,m@z.org,30,1," for n, zone in ZONES.items()]
    header = (
        "email,name,role,timezone,locale,slack_id,discord_id,mentor_email,"
        "session_minutes,sessions_per_week,path"
    )
    with database.uow() as uow:
        report = import_roster(
            uow, "\n".join([header, *rows]) + "\n", "UTC", "en", clock.now(), welcome_new=False
        )
        assert report.applied
        uow.commit()
        ids = {e.split("@")[0]: p.id for e, p in uow.people.by_emails(report.created).items()}
    ZONE_IDS.update({name: ids[name] for name in ZONES})
    return ids


def first_checkins(database: Database, start: datetime, hours: int) -> dict[int, datetime]:
    """Tick every 15 minutes after `start`; when did each student's next check-in go out?

    The first tick, at `start`, sends the check-in of the week the students joined in.
    """
    clock = ManualClock(start)
    with database.uow() as uow:
        scheduled.checkins(uow, clock.now(), SETTINGS)
    sent: dict[int, datetime] = {}
    for _ in range(hours * 4):
        clock.advance(minutes=15)
        with database.uow() as uow:
            scheduled.checkins(uow, clock.now(), SETTINGS)
            for student_id in set(ZONE_IDS.values()) - set(sent):
                latest = uow.checkins.recent(student_id, 1)
                if latest and latest[0].sent_at == clock.now():
                    sent[student_id] = clock.now()
    return sent


@pytest.mark.parametrize(
    "monday",
    [
        datetime(2026, 3, 9, tzinfo=UTC),  # North America just sprang forward, Europe not yet
        datetime(2026, 3, 30, tzinfo=UTC),  # Europe too; Sydney still on summer time
        datetime(2026, 4, 6, tzinfo=UTC),  # Sydney fell back on 5 April
        datetime(2026, 10, 5, tzinfo=UTC),  # Sydney sprang forward on 4 October
        datetime(2026, 10, 26, tzinfo=UTC),  # Europe fell back, North America not yet
        datetime(2026, 11, 2, tzinfo=UTC),  # both fell back
    ],
)
def test_checkins_go_out_at_nine_local_in_every_zone_across_dst(
    sqlite_database: Database, monday: datetime
) -> None:
    ids = zoned_students(sqlite_database, ManualClock(monday))
    sent = first_checkins(sqlite_database, monday - timedelta(hours=12), hours=36)
    for name, zone in ZONES.items():
        local = sent[ids[name]].astimezone(ZoneInfo(zone))
        assert (local.weekday(), local.hour, local.minute) == (0, 9, 0), (name, local)


def test_a_checkin_goes_out_once_a_week_however_often_the_job_runs(programme: Programme) -> None:
    assert run(programme, "checkins") == 2  # Monday 10:00 in Paris, but 04:00 in Toronto
    assert run(programme, "checkins") == 0
    programme.clock.advance(hours=5)  # 09:00 in Toronto
    assert run(programme, "checkins") == 1
    programme.clock.advance(days=3)
    assert run(programme, "checkins") == 0
    programme.clock.advance(days=4)
    assert run(programme, "checkins") == 3
    keys = outbox_keys(programme.database)
    assert len(keys) == len(set(keys)) == 6


def test_paused_students_and_students_of_a_mentor_on_leave_get_none(programme: Programme) -> None:
    programme.ok("advisor", "/pause lea@school.example")
    programme.clock.advance(hours=5)
    assert run(programme, "checkins") == 2
    programme.clock.advance(days=7)
    programme.ok("mentor", "/availability off 2026-11-30 2026-12-06")
    assert run(programme, "checkins") == 0
    programme.ok("advisor", "/resume lea@school.example")
    programme.clock.advance(days=7)
    assert run(programme, "checkins") == 3


def test_two_schedulers_racing_send_each_checkin_once(database: Database) -> None:
    """Four ticks at once: each check-in is created and queued by one of them. On PostgreSQL a
    tick plans in two shares at once, so two ticks may each win a share."""
    clock = ManualClock(datetime(2026, 11, 23, 15, tzinfo=UTC))  # after 09:00 in every zone
    zoned_students(database, clock)
    barrier = threading.Barrier(4)
    counts: list[int] = []

    def tick() -> None:
        barrier.wait()
        with database.uow() as uow:
            counts.append(scheduled.checkins(uow, clock.now(), SETTINGS))

    threads = [threading.Thread(target=tick) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(counts) == 4 and sum(counts) == 3, counts
    assert len(outbox_keys(database)) == 3


def test_reminders_24h_and_15min_before_to_both_in_their_language(programme: Programme) -> None:
    programme.ok("sam", "/book 2026-11-26 04:00")  # Thursday 09:00 UTC
    session_start = datetime(2026, 11, 26, 9, tzinfo=UTC)
    programme.clock.set(session_start - timedelta(hours=24, minutes=1))
    assert run(programme, "reminders") == 0
    programme.clock.advance(minutes=1)
    assert run(programme, "reminders") == 2 and run(programme, "reminders") == 0
    programme.clock.set(session_start - timedelta(minutes=15))
    assert run(programme, "reminders") == 2
    keys = [k for k in outbox_keys(programme.database) if k.startswith("reminder:")]
    assert sorted(int(k.split(":")[3]) for k in keys) == [15, 15, 1440, 1440]


def test_the_day_before_reminder_offers_move_and_cancel_the_15_minute_one_is_short(
    programme: Programme,
) -> None:
    """Issue 14: the far reminder briefs and offers to move or cancel; the near one is a line."""
    programme.ok("sam", "/book 2026-11-26 04:00")  # Thursday 09:00 UTC
    session_start = datetime(2026, 11, 26, 9, tzinfo=UTC)
    programme.clock.set(session_start - timedelta(hours=24))
    run(programme, "reminders")
    programme.clock.set(session_start - timedelta(minutes=15))
    run(programme, "reminders")
    deliverer = RecordingDeliverer()
    OutboxWorker(
        programme.database.uow, ManualClock(datetime(2100, 1, 1, tzinfo=UTC)), deliverer
    ).drain()
    sent = [n for _, n in deliverer.sent if n.idempotency_key.startswith("reminder:")]
    far = [n for n in sent if n.idempotency_key.split(":")[3] == "1440"]
    near = [n for n in sent if n.idempotency_key.split(":")[3] == "15"]
    assert len(far) == len(near) == 2
    for note in far:
        lines = [command_line(choice.action) for choice in note.choices]
        assert len(lines) == 2 and lines[0].startswith("/move "), lines
        assert lines[1].startswith("/cancel "), lines
    for note in near:
        assert note.choices == () and "week.reminder_soon" in repr(note), note


def test_a_moved_session_is_reminded_at_its_new_time_a_cancelled_one_never(
    programme: Programme,
) -> None:
    moved = programme.ok("lea", "/book 2026-11-26 09:00").lines[0].params["id"]
    programme.ok("lea", f"/move {moved} 2026-11-30 09:00")
    cancelled = programme.ok("zoe", "/book 2026-11-26 10:00").lines[0].params["id"]
    programme.ok("zoe", f"/cancel {cancelled}")
    programme.clock.set(datetime(2026, 11, 25, 9, tzinfo=UTC))  # a day before the old times
    assert run(programme, "reminders") == 0
    programme.clock.set(datetime(2026, 11, 29, 8, 0, tzinfo=UTC))  # a day before the new time
    assert run(programme, "reminders") == 2


def test_catch_up_after_an_outage_sends_what_is_useful_and_skips_the_rest(
    programme: Programme,
) -> None:
    programme.ok("lea", "/book 2026-11-26 09:00")  # 08:00 UTC
    programme.ok("zoe", "/book 2026-11-26 10:00")  # 09:00 UTC
    programme.ok("sam", "/book 2026-11-26 05:30")  # 10:30 UTC
    programme.clock.set(datetime(2026, 11, 25, 6, tzinfo=UTC))
    assert run(programme, "reminders") == 0
    # Down from 07:00 to 10:15 the day after: every 24 h reminder and Léa's 15 min one were due.
    programme.clock.set(datetime(2026, 11, 26, 10, 15, tzinfo=UTC))
    # Only Sam's session has not started: its 15 min reminder, to both; and the two sessions
    # held during the outage get their attendance prompt.
    assert run(programme, "reminders") == 4
    keys = [k for k in outbox_keys(programme.database) if k.startswith("reminder:")]
    assert [k.split(":")[3] for k in keys] == ["15", "15"]
    with programme.database.uow() as uow:
        sam_session = uow.sessions.get(3)
        assert sam_session is not None
        logged = uow.reminders.logged([sam_session])
    assert {offset for *_, offset in logged} == {15, 1440}  # 15 sent, 1440 skipped as late


def test_the_host_is_asked_for_attendance_after_the_session(programme: Programme) -> None:
    session = programme.ok("lea", "/book 2026-11-26 09:00").lines[0].params["id"]
    programme.clock.set(datetime(2026, 11, 26, 8, 44, tzinfo=UTC))  # it ends at 08:45 UTC
    run(programme, "reminders")
    assert not [k for k in outbox_keys(programme.database) if k.startswith("attendance:")]
    programme.clock.set(datetime(2026, 11, 26, 8, 50, tzinfo=UTC))
    run(programme, "reminders")
    run(programme, "reminders")
    assert [k for k in outbox_keys(programme.database) if k.startswith("attendance:")] == [
        f"attendance:{session}"
    ]
    assert programme.ok("mentor", f"/notes {session} absent").lines[0].key == (
        "attendance.recorded.absent"
    )


def live_disengagement(programme: Programme) -> list[int]:
    with programme.database.uow() as uow:
        alerts = uow.alerts.listing((AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED), None)
    return [a.student_id for a in alerts if a.category == AlertCategory.DISENGAGEMENT]


def test_unanswered_checkins_raise_one_disengagement_alert(programme: Programme) -> None:
    programme.ok("lea", "/book 2026-11-26 09:00")
    programme.ok("sam", "/book 2026-11-26 04:00")
    programme.ok("zoe", "/book 2026-11-26 11:00")
    programme.clock.advance(hours=6)  # Monday 15:00 UTC: after 09:00 in Toronto too
    for _ in range(3):
        run(programme, "checkins")
        programme.ok("lea", "/checkin 3 ok | rien | avancer")
        programme.ok("zoe", "/checkin 3 ok | rien | avancer")
        programme.clock.advance(days=7)
    only_checkins = {"disengagement_missed_checkins": 2, "disengagement_weeks_without_booking": 9}
    assert run(programme, "disengagement", **only_checkins) == 1
    assert live_disengagement(programme) == [programme.people["sam"].id]
    assert run(programme, "disengagement", **only_checkins) == 0


def test_absences_in_the_window_raise_an_alert_but_not_for_a_paused_student(
    programme: Programme,
) -> None:
    for day in ("2026-11-26 09:00", "2026-11-30 09:00"):
        session = programme.ok("lea", f"/book {day}").lines[0].params["id"]
        programme.clock.set(datetime.fromisoformat(f"{day}:00+01:00") + timedelta(hours=1))
        programme.ok("mentor", f"/notes {session} absent")
    programme.ok("advisor", "/pause lea@school.example")
    assert run(programme, "disengagement") == 0
    programme.ok("advisor", "/resume lea@school.example")
    assert run(programme, "disengagement") == 1
    with programme.database.uow() as uow:
        (alert,) = uow.alerts.listing((AlertStatus.OPEN,), programme.people["lea"].id)
    # Stored as catalogue keys and parameters, rendered in each reader's language.
    absences = Text("disengagement.absences", {"count": 2, "days": 30})
    assert alert.raised_by is None and alert.summary_texts == (absences,)


def test_weeks_without_any_session_raise_an_alert(programme: Programme) -> None:
    programme.ok("lea", "/book 2026-11-26 09:00")
    programme.clock.advance(days=13)
    assert run(programme, "disengagement") == 0  # everyone joined under two weeks ago
    programme.clock.advance(days=2)
    flagged = Counter(live_disengagement(programme))
    assert run(programme, "disengagement") == 2
    assert set(live_disengagement(programme)) == {
        programme.people["sam"].id,
        programme.people["zoe"].id,
    }
    assert not flagged


def test_the_day_before_reminder_recalls_the_last_sessions_notes_and_goals(
    programme: Programme,
) -> None:
    """Issue 14: both sides read what was said and agreed last time, found for all at once."""
    first = programme.ok("sam", "/book 2026-11-26 04:00").lines[0].params["id"]  # 09:00 UTC
    programme.clock.set(datetime(2026, 11, 26, 10, tzinfo=UTC))
    programme.ok("mentor", f"/notes {first} present charts done | tests | ship the report | no")
    programme.ok("sam", "/book 2026-11-30 04:00")  # Monday 09:00 UTC
    programme.clock.set(datetime(2026, 11, 29, 9, tzinfo=UTC))
    run(programme, "reminders")
    deliverer = RecordingDeliverer()
    OutboxWorker(
        programme.database.uow, ManualClock(datetime(2100, 1, 1, tzinfo=UTC)), deliverer
    ).drain()
    far = [n for _, n in deliverer.sent if n.idempotency_key.startswith("reminder:")]
    assert len(far) == 2
    for note in far:
        shown = Renderer("en", "America/Toronto").text(Text(note.key, note.params))
        assert "Last time: charts done — goals: ship the report" in shown, shown
