"""Booking rules, through the core's public API, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.action_lines import command_line
from bot.domain import NewSession, SessionKind, SessionStatus
from bot.i18n import Renderer
from bot.outbox import OutboxWorker
from tests.conftest import Programme
from tests.recording import RecordingDeliverer

# Camille's availability in Paris: Mon and Thu 09:00-12:00, Wed 14:00-18:00.
# The clock starts on Monday 23 November 2026, 10:00 in Paris.


def session_of(programme: Programme, session_id: int):  # type: ignore[no-untyped-def]
    with programme.database.uow() as uow:
        return uow.sessions.get(session_id)


def booked_id(programme: Programme, who: str, line: str) -> int:
    reply = programme.ok(who, line)
    assert reply.lines[0].key == "booking.booked"
    return int(reply.lines[0].params["id"])  # type: ignore[call-overload]


def test_a_booking_lasts_the_contract_length_and_tells_the_mentor(programme: Programme) -> None:
    session_id = booked_id(programme, "lea", "/book 2026-11-26 09:00")
    session = session_of(programme, session_id)
    assert session.starts_at == datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    assert session.ends_at - session.starts_at == timedelta(minutes=45)
    assert session.host_id == programme.people["mentor"].id
    deliverer = RecordingDeliverer()
    OutboxWorker(programme.database.uow, programme.clock, deliverer).drain()
    assert [(r.name, n.key) for r, n in deliverer.sent] == [
        ("Camille Martin", "notify.session_booked"),
        ("Léa Dubois", "invite.yours.booked"),  # her own invite, for her calendar
    ]
    rendered = Renderer("fr", "Europe/Paris").text(deliverer.texts()[0])
    assert rendered == "Léa Dubois a réservé une séance\u202f: #1, jeu. 26 nov. 2026 09:00."


def test_no_argument_offers_the_next_free_slots_which_book_as_shown(programme: Programme) -> None:
    reply = programme.ok("lea", "/book")
    assert reply.lines[0].key == "booking.pick_slot"
    *offered, more = reply.choices  # eight slots, then "more" (the horizon holds others)
    slots = [choice.label.params["when"] for choice in offered]
    # 12 h of notice from Monday 10:00: Wednesday afternoon is the first window.
    assert slots[0] == datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
    assert slots[1] - slots[0] == timedelta(minutes=45)
    assert len(slots) == 8
    assert more.label.key == "week.more_slots" and command_line(more.action) == "/book page 2"
    next_page = [c.label.params.get("when") for c in programme.ok("lea", "/book page 2").choices]
    assert next_page[0] is not None and next_page[0] > slots[-1]
    chosen = programme.ok("lea", command_line(reply.choices[2].action))
    assert chosen.lines[0].params["when"] == slots[2]


def test_a_slot_must_fit_entirely_inside_the_availability(programme: Programme) -> None:
    assert programme.refused("lea", "/book 2026-11-26 08:30") == "booking.outside_availability"
    # 11:30 + 45 min ends after the 12:00 close.
    assert programme.refused("lea", "/book 2026-11-26 11:30") == "booking.outside_availability"
    assert programme.refused("lea", "/book 2026-11-27 09:00") == "booking.outside_availability"
    booked_id(programme, "lea", "/book 2026-11-26 11:15")


def test_notice_and_horizon(programme: Programme) -> None:
    assert programme.refused("lea", "/book 2026-11-23 11:00") == "booking.too_soon"
    assert programme.refused("lea", "/book 2026-12-24 09:00") == "booking.too_far"
    programme.clock.advance(days=7)
    booked_id(programme, "lea", "/book 2026-12-24 09:00")


def test_the_mentor_cannot_be_double_booked(programme: Programme) -> None:
    booked_id(programme, "lea", "/book 2026-11-26 09:00")
    assert programme.refused("sam", "/book 2026-11-26 03:30") == "booking.slot_taken"
    booked_id(programme, "sam", "/book 2026-11-26 03:45")  # 09:45 Paris, right after Léa


def test_a_student_cannot_overlap_their_own_defense(programme: Programme) -> None:
    lea, validator = programme.people["lea"], programme.people["validator"]
    with programme.database.uow() as uow:
        uow.sessions.add(
            NewSession(
                student_id=lea.id,
                host_id=validator.id,
                kind=SessionKind.DEFENSE,
                starts_at=datetime(2026, 11, 26, 8, 30, tzinfo=UTC),
                ends_at=datetime(2026, 11, 26, 9, 0, tzinfo=UTC),
            )
        )
        uow.commit()
    assert programme.refused("lea", "/book 2026-11-26 09:00") == "booking.student_busy"
    booked_id(programme, "lea", "/book 2026-11-26 10:00")


def test_time_off_blocks_booking_and_is_listed(programme: Programme) -> None:
    reply = programme.ok("mentor", "/availability off 2026-11-26 2026-11-27")
    assert reply.lines[0].key == "availability.off_added"
    assert programme.refused("lea", "/book 2026-11-26 09:00") == "booking.time_off"
    offered = [c.label.params.get("when") for c in programme.ok("lea", "/book").choices[:8]]
    assert all(not (26 <= when.day <= 27 and when.month == 11) for when in offered)  # type: ignore[union-attr]
    listing = programme.ok("mentor", "/availability list")
    assert [line.key for line in listing.lines][-2:] == [
        "availability.off_line",
        "week.time_off_hint",
    ]


def test_weekly_quota_points_to_the_advisor(programme: Programme) -> None:
    booked_id(programme, "lea", "/book 2026-11-25 14:00")
    reply = programme.run("lea", "/book 2026-11-26 09:00")
    assert reply.is_error and reply.lines[0].key == "booking.quota_reached"
    assert reply.lines[0].params["url"] == "https://school.example/advisor"
    assert "https://school.example/advisor" in Renderer("en", "UTC").reply(reply)[0]
    # Next ISO week is a new quota.
    booked_id(programme, "lea", "/book 2026-11-30 09:00")
    # Zoé's contract allows two a week.
    booked_id(programme, "zoe", "/book 2026-11-25 15:00")
    booked_id(programme, "zoe", "/book 2026-11-26 10:00")
    assert programme.refused("zoe", "/book 2026-11-26 11:00") == "booking.quota_reached"


def test_an_early_cancellation_frees_the_quota_a_late_one_does_not(programme: Programme) -> None:
    early = booked_id(programme, "lea", "/book 2026-11-26 09:00")
    assert programme.ok("lea", f"/cancel {early}").lines[0].key == "cancel.done"
    assert session_of(programme, early).late_cancellation is False
    late = booked_id(programme, "lea", "/book 2026-11-25 14:00")
    programme.clock.set(datetime(2026, 11, 25, 8, 0, tzinfo=UTC))  # 5 h before
    # Inside the notice it counts as an absence: asked first, then confirmed.
    assert programme.ok("lea", f"/cancel {late}").lines[0].key == "cancel.confirm_late"
    assert programme.ok("lea", f"/cancel {late} confirm").lines[0].key == "cancel.done_late"
    cancelled = session_of(programme, late)
    assert cancelled.status == SessionStatus.CANCELLED
    assert cancelled.late_cancellation is True
    assert cancelled.cancelled_by == programme.people["lea"].id
    assert programme.refused("lea", "/book 2026-11-26 09:00") == "booking.quota_reached"


def test_a_mentor_cancelling_late_is_not_held_against_the_student(programme: Programme) -> None:
    session_id = booked_id(programme, "lea", "/book 2026-11-25 14:00")
    programme.clock.set(datetime(2026, 11, 25, 8, 0, tzinfo=UTC))
    programme.ok("mentor", f"/cancel {session_id}")
    assert session_of(programme, session_id).late_cancellation is False
    deliverer = RecordingDeliverer()
    OutboxWorker(programme.database.uow, programme.clock, deliverer).drain()
    assert ("Léa Dubois", "notify.session_cancelled") in [
        (r.name, n.key) for r, n in deliverer.sent
    ]


def test_only_participants_cancel_and_never_after_the_start(programme: Programme) -> None:
    session_id = booked_id(programme, "lea", "/book 2026-11-25 14:00")
    assert programme.refused("sam", f"/cancel {session_id}") == "session.not_found"
    assert programme.refused("lea", "/cancel 999") == "session.not_found"
    programme.clock.set(datetime(2026, 11, 25, 13, 10, tzinfo=UTC))
    assert programme.refused("lea", f"/cancel {session_id}") == "session.started"


def test_cancel_with_no_argument_offers_the_persons_sessions(programme: Programme) -> None:
    session_id = booked_id(programme, "lea", "/book 2026-11-25 14:00")
    reply = programme.ok("lea", "/cancel")
    assert [command_line(c.action) for c in reply.choices] == [f"/cancel {session_id}"]
    assert programme.ok("sam", "/cancel").lines[0].key == "sessions.none"


def test_moving_keeps_the_rules_counts_moves_and_tells_the_other(programme: Programme) -> None:
    session_id = booked_id(programme, "lea", "/book 2026-11-26 09:00")
    offers = programme.ok("lea", f"/move {session_id}")
    assert offers.lines[0].key == "move.pick_slot"
    assert all(command_line(c.action).startswith(f"/move {session_id} ") for c in offers.choices)
    moved = programme.ok("lea", f"/move {session_id} 2026-11-26 10:00")
    assert moved.lines[0].key == "move.done"
    session = session_of(programme, session_id)
    assert session.starts_at == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert session.move_count == 1
    # Moving within the same week does not count the session twice against the quota.
    programme.ok("mentor", f"/move {session_id} 2026-11-25 14:00")
    assert programme.refused("lea", f"/move {session_id} 2026-11-26 09:00") == "move.cap_reached"
    deliverer = RecordingDeliverer()
    OutboxWorker(programme.database.uow, programme.clock, deliverer).drain()
    told = [(r.name, n.key) for r, n in deliverer.sent if not n.key.startswith("invite.")]
    assert told[1:] == [
        ("Camille Martin", "notify.session_moved"),
        ("Léa Dubois", "notify.session_moved"),
    ]


def test_move_pages_its_slots_as_book_does(programme: Programme) -> None:
    session_id = booked_id(programme, "lea", "/book 2026-11-26 09:00")
    *first, more = programme.ok("lea", f"/move {session_id}").choices
    assert len(first) == 8  # a page of slots, then the next page
    assert more.label.key == "week.more_slots"
    assert command_line(more.action) == f"/move {session_id} page 2"
    second = programme.ok("lea", command_line(more.action))
    assert second.lines[0].key == "move.pick_slot"
    slots = [c.label.params["when"] for c in (*first, *second.choices) if "when" in c.label.params]
    assert slots == sorted(set(slots)) and len(slots) > 8  # the next ones, none twice
    assert datetime(2026, 11, 26, 8, 0, tzinfo=UTC) not in slots  # not where it already is
    picked = next(c for c in second.choices if "when" in c.label.params)
    moved = programme.ok("lea", command_line(picked.action))
    assert moved.lines[0].key == "move.done"
    assert session_of(programme, session_id).starts_at == picked.label.params["when"]
    assert programme.refused("lea", "/move page 2") == "usage.move"


def test_a_move_is_refused_close_to_the_session_or_onto_a_taken_slot(
    programme: Programme,
) -> None:
    lea_session = booked_id(programme, "lea", "/book 2026-11-26 09:00")
    booked_id(programme, "sam", "/book 2026-11-26 05:00")  # 11:00 Paris
    assert programme.refused("lea", f"/move {lea_session} 2026-11-26 10:45") == (
        "booking.slot_taken"
    )
    programme.clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))  # 20 h before
    assert programme.refused("lea", f"/move {lea_session} 2026-11-26 10:00") == "move.too_late"


def test_roles_are_checked(programme: Programme) -> None:
    assert programme.refused("mentor", "/book") == "error.not_allowed"
    assert programme.refused("lea", "/availability add mon 09:00-10:00") == "error.not_allowed"
    assert programme.refused("advisor", "/book") == "error.not_allowed"


def test_a_student_and_a_mentor_in_different_zones(programme: Programme) -> None:
    # Sam is in Toronto (UTC-5 in November): 04:00 there is 10:00 in Paris.
    session_id = booked_id(programme, "sam", "/book 2026-11-26 04:00")
    assert session_of(programme, session_id).starts_at == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert session_of(programme, session_id).ends_at - session_of(
        programme, session_id
    ).starts_at == timedelta(minutes=30)
    sam_view = Renderer("en", "America/Toronto").reply(programme.ok("sam", "/sessions"))
    mentor_view = Renderer("fr", "Europe/Paris").reply(programme.ok("mentor", "/sessions"))
    assert "Thu 26 Nov 2026 04:00" in sam_view[1]
    assert "jeu. 26 nov. 2026 10:00" in mentor_view[1]
    assert "Sam Taylor" in mentor_view[1]
