"""Pauses, defined (issue 14): a paused student cannot book and is told why; a mentor on leave
is a time off for all their students, who are told; pausing twice says "already"; `/progress`
shows the state; each pause is kept as a period."""

from __future__ import annotations

from datetime import timedelta

from bot.domain import PersonStatus, SessionStatus
from bot.outbox import OutboxWorker
from tests.conftest import Programme
from tests.recording import RecordingDeliverer
from tests.test_booking import booked_id, session_of

LEA, MENTOR = "lea@school.example", "mentor@school.example"


def delivered(programme: Programme) -> list[tuple[str, str]]:
    """What the outbox sends now, as (recipient, message key)."""
    deliverer = RecordingDeliverer()
    OutboxWorker(programme.database.uow, programme.clock, deliverer).drain()
    return [(recipient.name, notification.key) for recipient, notification in deliverer.sent]


def test_a_paused_student_cannot_book_and_is_told_why(programme: Programme) -> None:
    session_id = booked_id(programme, "lea", "/book 2026-11-26 09:00")
    delivered(programme)
    reply = programme.ok("advisor", f"/pause {LEA}")
    assert [line.key for line in reply.lines] == ["status.paused", "pause.cancelled_sessions"]
    assert session_of(programme, session_id).status == SessionStatus.CANCELLED
    assert not session_of(programme, session_id).late_cancellation
    told = delivered(programme)
    assert ("Léa Dubois", "pause.student_paused") in told
    assert ("Camille Martin", "pause.mentor_told_paused") in told
    assert ("Camille Martin", "pause.session_cancelled") in told
    refusal = programme.run("lea", "/book 2026-11-30 09:00")
    assert refusal.is_error and refusal.lines[0].key == "pause.cannot_book"
    assert refusal.lines[0].params["url"] == "https://school.example/advisor"
    assert programme.refused("lea", "/book") == "pause.cannot_book"
    assert programme.refused("lea", "/book defense") == "pause.cannot_book"
    progress = [line.key for line in programme.ok("lea", "/progress").lines]
    assert "progress.paused" in progress
    assert programme.ok("advisor", f"/pause {LEA}").lines[0].key == "status.already_paused"
    programme.clock.advance(days=10)
    assert programme.ok("advisor", f"/resume {LEA}").lines[0].key == "status.active"
    assert programme.ok("advisor", f"/resume {LEA}").lines[0].key == "status.already_active"
    assert ("Léa Dubois", "pause.student_resumed") in delivered(programme)
    booked_id(programme, "lea", "/book 2026-12-07 09:00")
    with programme.database.uow() as uow:
        since = programme.clock.now() - timedelta(days=1)
        (pause,) = uow.pauses.overlapping([programme.people["lea"].id], since)
    assert pause.ends_at == programme.clock.now()
    assert pause.ends_at - pause.starts_at == timedelta(days=10)


def test_a_mentor_on_leave_is_time_off_for_every_student(programme: Programme) -> None:
    lea = booked_id(programme, "lea", "/book 2026-11-26 09:00")
    sam = booked_id(programme, "sam", "/book 2026-11-26 04:00")  # 10:00 in Paris
    delivered(programme)
    reply = programme.ok("advisor", f"/pause {MENTOR}")
    assert reply.lines[0].key == "status.mentor_on_leave"  # not a student's pause
    assert reply.lines[-1].key == "pause.students_told"
    assert reply.lines[-1].params == {"count": 3, "cancelled": 2}
    assert {session_of(programme, s).status for s in (lea, sam)} == {SessionStatus.CANCELLED}
    told = delivered(programme)
    for student in ("Léa Dubois", "Sam Taylor", "Zoé Petit"):
        assert (student, "pause.mentor_leave") in told
    assert programme.refused("zoe", "/book 2026-11-30 09:00") == "pause.mentor_on_leave"
    with programme.database.uow() as uow:
        assert uow.people.get(programme.people["mentor"].id).status == PersonStatus.PAUSED  # type: ignore[union-attr]
    programme.ok("advisor", f"/resume {MENTOR}")
    assert ("Zoé Petit", "pause.mentor_back") in delivered(programme)
    booked_id(programme, "zoe", "/book 2026-11-30 09:00")
