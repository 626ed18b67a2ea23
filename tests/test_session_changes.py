"""What may still change about a booked session (issue 14): a late cancellation is confirmed
first and the mentor told it was late; a move goes to another slot; `/sessions` offers a move
only where one is possible."""

from __future__ import annotations

from datetime import timedelta

from bot.domain import SessionStatus
from tests.conftest import Programme
from tests.test_booking import booked_id, session_of
from tests.test_pauses import delivered


def actions(programme: Programme, who: str, line: str) -> list[str]:
    """The choices a reply offers, by the command type each runs."""
    return [type(choice.action).__name__ for choice in programme.ok(who, line).choices]


def test_a_late_cancellation_is_confirmed_first_and_the_mentor_told_it_was_late(
    programme: Programme,
) -> None:
    session_id = booked_id(programme, "lea", "/book 2026-11-26 09:00")
    delivered(programme)
    programme.clock.set(session_of(programme, session_id).starts_at - timedelta(hours=10))
    asked = programme.ok("lea", f"/cancel {session_id}")
    assert asked.lines[0].key == "cancel.confirm_late"
    assert asked.lines[0].params["hours"] == 24
    # Nothing happened yet: the session is still booked, nobody was told.
    assert session_of(programme, session_id).status == SessionStatus.BOOKED
    assert delivered(programme) == []
    (confirm,) = asked.choices
    done = programme.core.handle(programme.people["lea"].id, confirm.action)
    assert done.lines[0].key == "cancel.done_late"
    session = session_of(programme, session_id)
    assert session.status == SessionStatus.CANCELLED and session.late_cancellation
    assert ("Camille Martin", "notify.session_cancelled_late") in delivered(programme)


def test_a_second_word_confirms_in_text_and_early_cancellations_need_none(
    programme: Programme,
) -> None:
    early = booked_id(programme, "lea", "/book 2026-11-26 09:00")
    assert programme.ok("lea", f"/cancel {early}").lines[0].key == "cancel.done"
    late = booked_id(programme, "lea", "/book 2026-11-26 10:00")
    other = booked_id(programme, "zoe", "/book 2026-11-26 11:00")
    programme.clock.set(session_of(programme, late).starts_at - timedelta(hours=2))
    assert programme.refused("lea", f"/cancel {late} maybe") == "usage.cancel"
    assert programme.ok("lea", f"/cancel {late} confirmer").lines[0].key == "cancel.done_late"
    # The mentor cancelling inside the notice is not the student's late cancellation.
    reply = programme.ok("mentor", f"/cancel {other}")
    assert reply.lines[0].key == "cancel.done"
    assert not session_of(programme, other).late_cancellation


def test_moving_to_the_same_slot_is_refused_and_spends_no_move(programme: Programme) -> None:
    session_id = booked_id(programme, "lea", "/book 2026-11-26 09:00")
    delivered(programme)
    assert programme.refused("lea", f"/move {session_id} 2026-11-26 09:00") == "move.same_slot"
    assert session_of(programme, session_id).move_count == 0
    assert delivered(programme) == []
    programme.ok("lea", f"/move {session_id} 2026-11-26 10:00")
    assert session_of(programme, session_id).move_count == 1


def test_sessions_offers_a_move_only_where_one_is_possible(programme: Programme) -> None:
    session_id = booked_id(programme, "lea", "/book 2026-11-26 09:00")
    assert actions(programme, "lea", "/sessions") == ["CancelSession", "MoveSession"]
    for slot in ("2026-11-26 10:00", "2026-11-26 11:00"):  # the cap is two moves
        programme.ok("lea", f"/move {session_id} {slot}")
    assert actions(programme, "lea", "/sessions") == ["CancelSession"]
    assert programme.refused("lea", f"/move {session_id} 2026-11-26 09:00") == "move.cap_reached"
    zoe = booked_id(programme, "zoe", "/book 2026-11-30 09:00")
    programme.clock.set(session_of(programme, zoe).starts_at - timedelta(hours=20))
    assert actions(programme, "zoe", "/sessions") == ["CancelSession"]  # inside the notice
    assert programme.ok("zoe", "/move").lines[0].key == "move.nothing_movable"
