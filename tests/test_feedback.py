"""The post-session survey: asked once after each held session, answered by the student only,
shown in the mentor's `/progress`, and repeated low scores flag the student to the advisors
(never to the mentor)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.actions import decode, encode
from bot.domain import NewSession, SessionKind, SessionStatus
from bot.outbox import OutboxWorker
from bot.services.feedback import surveys
from tests.conftest import Programme, make_settings
from tests.programme_facts import build
from tests.recording import RecordingDeliverer

MONDAY = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def held(programme: Programme, days: int, who: str = "lea") -> int:
    """A mentoring session with Camille `days` after Monday 30 November, held."""
    starts = MONDAY + timedelta(days=days)
    with programme.database.uow() as uow:
        people = programme.people
        new = NewSession(
            people[who].id,
            people["mentor"].id,
            SessionKind.MENTORING,
            starts,
            starts + timedelta(minutes=45),
        )
        session = uow.sessions.add(new, starts - timedelta(days=2))
        uow.sessions.set_status(session.id, SessionStatus.DONE)
        uow.commit()
    return session.id


def ask(programme: Programme, at: datetime, **settings: object) -> int:
    programme.clock.set(at)
    with programme.database.uow() as uow:
        return surveys(uow, at, make_settings("sqlite://", **settings))


def delivered(programme: Programme) -> RecordingDeliverer:
    deliverer = RecordingDeliverer()
    OutboxWorker(programme.database.uow, programme.clock, deliverer).drain()
    return deliverer


def test_each_held_session_is_asked_about_once(programme: Programme) -> None:
    session = held(programme, 0)
    assert ask(programme, MONDAY + timedelta(hours=2)) == 1
    assert ask(programme, MONDAY + timedelta(hours=3)) == 0  # a second tick: nothing more
    [(student, prompt)] = delivered(programme).sent
    assert student.email == "lea@school.example" and prompt.key == "feedback.prompt"
    assert prompt.params["id"] == session and prompt.params["with"] == "Camille Martin"
    scores = [decode(encode(choice.action)) for choice in prompt.choices]
    assert [(s.session_id, s.score) for s in scores] == [(session, n) for n in range(1, 6)]


def test_the_survey_can_be_turned_off(programme: Programme) -> None:
    held(programme, 0)
    assert ask(programme, MONDAY + timedelta(hours=2), feedback_survey=False) == 0


def test_a_paused_student_is_not_asked(programme: Programme) -> None:
    session = held(programme, 0)
    programme.clock.set(MONDAY + timedelta(hours=1))  # after it: the pause cancels nothing held
    programme.ok("advisor", "/pause lea@school.example")
    assert ask(programme, MONDAY + timedelta(hours=2)) == 0
    programme.ok("advisor", "/resume lea@school.example")
    assert ask(programme, MONDAY + timedelta(hours=3)) == 1  # asked once back
    with programme.database.uow() as uow:
        assert uow.feedback.get(session) is not None


def test_the_student_answers_a_score_then_a_comment(programme: Programme) -> None:
    session = held(programme, 0)
    ask(programme, MONDAY + timedelta(hours=2))
    assert programme.ok("lea", f"/feedback {session} 4").lines[0].key == "feedback.thanks_score"
    programme.ok("lea", f"/feedback {session} comment clear and useful")
    assert programme.refused("lea", f"/feedback {session} 7") == "feedback.bad_score"
    assert programme.refused("sam", f"/feedback {session} 1") == "feedback.not_asked"
    assert programme.refused("lea", "/feedback 999 3") == "feedback.not_asked"
    with programme.database.uow() as uow:
        answer = uow.feedback.get(session)
    assert answer is not None and (answer.score, answer.comment) == (4, "clear and useful")


def test_two_low_scores_in_a_row_flag_the_student_to_the_advisors_only(
    programme: Programme,
) -> None:
    first, second, third = held(programme, 0), held(programme, 1), held(programme, 2)
    ask(programme, MONDAY + timedelta(days=2, hours=2))
    delivered(programme)
    programme.ok("lea", f"/feedback {first} 2")
    assert not delivered(programme).posted  # one low score is not a pattern
    programme.ok("lea", f"/feedback {second} 1 I feel lost")
    outcome = delivered(programme)
    [flag] = outcome.posted
    assert flag.key == "feedback.flag" and flag.recipient_id is None
    assert flag.params["name"] == "Léa Dubois" and flag.params["scores"] == [2, 1]
    assert not [n for _, n in outcome.sent if n.key.startswith("feedback")]  # not the mentor
    programme.ok("lea", f"/feedback {third} 1")
    assert not delivered(programme).posted  # one flag per streak


def test_the_streak_is_configurable(programme: Programme) -> None:
    from bot.core import Core

    first, second = held(programme, 0), held(programme, 1)
    ask(programme, MONDAY + timedelta(days=1, hours=2))
    settings = make_settings("sqlite://", feedback_low_streak=3)
    programme.core = Core(programme.database.uow, programme.clock, settings)
    delivered(programme)
    programme.ok("lea", f"/feedback {first} 1")
    programme.ok("lea", f"/feedback {second} 1")
    assert not delivered(programme).posted


def test_the_mentors_progress_shows_the_answers_and_offers_the_chart(programme: Programme) -> None:
    build(programme)  # Léa answered check-ins in weeks 48 and 49, and scored a session 1
    programme.clock.set(datetime(2026, 12, 2, 12, 0, tzinfo=UTC))
    reply = programme.ok("mentor", "/progress lea@school.example")
    keys = [line.key for line in reply.lines]
    assert "feedback.progress" in keys and "feedback.progress_comment" in keys
    [offer] = reply.choices
    assert programme.core.handle(programme.people["mentor"].id, offer.action).lines[0].key == (
        "progress.chart_sent"
    )
    chart = [n for _, n in delivered(programme).sent if n.key == "progress.chart_file"]
    assert len(chart) == 1 and chart[0].recipient_id == programme.people["mentor"].id
    assert chart[0].attachments[0].content.startswith(b"\x89PNG")
    overview = [line.key for line in programme.ok("mentor", "/progress").lines]
    assert "feedback.progress" in overview  # the mentor's students at a glance too


def test_the_chart_for_whom_may_see_it(programme: Programme) -> None:
    build(programme)
    programme.clock.set(datetime(2026, 12, 2, 12, 0, tzinfo=UTC))
    assert (
        programme.ok("advisor", "/chart lea@school.example").lines[0].key == "progress.chart_sent"
    )
    assert (
        programme.refused("other.mentor", "/chart lea@school.example") == "error.not_your_student"
    )
    assert programme.refused("lea", "/chart lea@school.example") == "error.not_allowed"
    too_few = programme.ok("mentor", "/chart sam@school.example").lines[0].key
    assert too_few == "progress.chart_too_few"
