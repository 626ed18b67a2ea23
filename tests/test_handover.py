"""A change of mentor and the questions waiting for the old one (issue 14): a question held for
the old mentor's contact window is never delivered to them; it goes to the new mentor under the
new mentor's rule (at once, or held for the new mentor's window, or kept until they set one),
and the student is told what became of it, in their language. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from bot.commands import RouteQuestion
from bot.domain import Decision, Person, Question, Topic
from bot.i18n import Renderer
from bot.outbox import OutboxWorker
from bot.replies import Text
from tests.conftest import ROSTER, Programme
from tests.recording import RecordingDeliverer
from tests.test_roster_changes import MOVED, reimport

# tests/conftest.py START: Monday 23 November 2026, 10:00 in Paris. Camille takes questions on
# Mondays 18:00-19:00 (Paris): one asked now is held until this evening.
SAM_MOVED = ROSTER.replace(
    "sam@school.example,Sam Taylor,student,America/Toronto,en,,,mentor@school.example",
    "sam@school.example,Sam Taylor,student,America/Toronto,en,,,other.mentor@school.example",
)


def delivered(programme: Programme, later: timedelta = timedelta()) -> list[tuple[str, str, str]]:
    """What the outbox sends by the clock (moved on by `later`): (recipient, key, text)."""
    programme.clock.advance(seconds=later.total_seconds())
    deliverer = RecordingDeliverer()
    OutboxWorker(programme.database.uow, programme.clock, deliverer).drain()
    return [(p.name, n.key, _render(p, Text(n.key, n.params))) for p, n in deliverer.sent]


def _render(person: Person, text: Text) -> str:
    return Renderer(person.locale, person.timezone).text(text)


def question_of(programme: Programme, who: str) -> Question:
    with programme.database.uow() as uow:
        (question,) = uow.questions.of_student(programme.people[who].id)
    return question


def held_for_camille(programme: Programme, who: str, text: str) -> Question:
    programme.ok("mentor", "/contact window lun 18:00-19:00")
    reply = programme.ok(who, f"/ask topic=mentor {text}")
    assert reply.lines[0].key == "ask.held"
    delivered(programme)  # what was due already (nothing of the question: it waits)
    question = question_of(programme, who)
    assert question.decision == Decision.HELD and question.deliver_at is not None
    return question


def test_a_held_question_goes_at_once_to_a_new_mentor_who_takes_them_any_time(
    programme: Programme,
) -> None:
    held_for_camille(programme, "lea", "Comment découper mon projet ?")
    programme.ok("other.mentor", "/contact async")
    assert reimport(programme, MOVED) == ["lea@school.example"]
    question = question_of(programme, "lea")
    assert question.mentor_id == programme.people["other.mentor"].id
    assert question.decision == Decision.RELAYED
    told = delivered(programme)
    (relayed,) = [t for t in told if t[1] == "question.relayed"]
    assert relayed[0] == "Omar Diallo" and "Comment découper mon projet" in relayed[2]
    (handed,) = [text for name, key, text in told if key == "handover.question"]
    assert "Comment découper mon projet" in handed
    assert "attendait Camille Martin, qui n’est plus votre mentor" in handed
    assert "elle passe à Omar Diallo. Question transmise à votre mentor" in handed
    keys = [key for name, key, _ in told if name == "Léa Dubois"]
    assert keys.index("reassign.student") < keys.index("handover.question")
    # This evening, Camille's window: the question never reaches her.
    evening = delivered(programme, timedelta(hours=8, minutes=30))
    assert [t for t in evening if t[1] == "question.relayed"] == []


def test_a_held_question_stays_held_for_the_new_mentors_own_window(
    programme: Programme,
) -> None:
    held_for_camille(programme, "sam", "How should I split my project?")
    programme.ok("other.mentor", "/contact window mar 09:00-10:00")  # Tuesdays, Dakar (UTC)
    assert reimport(programme, SAM_MOVED) == ["sam@school.example"]
    question = question_of(programme, "sam")
    assert question.mentor_id == programme.people["other.mentor"].id
    assert question.decision == Decision.HELD
    assert question.deliver_at is not None and question.deliver_at.isoformat().startswith(
        "2026-11-24T09:00"
    )
    told = delivered(programme)
    assert [t for t in told if t[1] == "question.relayed"] == []
    (handed,) = [text for name, key, text in told if key == "handover.question"]
    assert handed.startswith("Your question “How should I split my project?” was waiting for")
    assert "Camille Martin, who is no longer your mentor: it now goes to Omar Diallo." in handed
    assert "Your mentor takes questions" in handed and "Tue" in handed  # Sam's own zone
    evening = delivered(programme, timedelta(hours=8, minutes=30))  # Camille's window
    assert [t for t in evening if t[1] == "question.relayed"] == []
    tuesday = delivered(programme, timedelta(hours=16, minutes=30))  # Tuesday 10:00 UTC
    (relayed,) = [t for t in tuesday if t[1] == "question.relayed"]
    assert relayed[0] == "Omar Diallo" and "How should I split my project?" in relayed[2]


def test_a_new_mentor_with_no_rule_is_asked_for_one_and_gets_the_question_once_set(
    programme: Programme,
) -> None:
    held_for_camille(programme, "lea", "Quel framework choisir ?")
    assert reimport(programme, MOVED) == ["lea@school.example"]
    told = delivered(programme)
    assert ("Omar Diallo", "contact.please_set_rule") in [(n, k) for n, k, _ in told]
    (handed,) = [text for name, key, text in told if key == "handover.question"]
    assert "Votre mentor n’a pas encore choisi de règle de contact" in handed
    assert question_of(programme, "lea").decision == Decision.AWAITING_RULE
    reply = programme.ok("other.mentor", "/contact async")
    assert "contact.released" in [line.key for line in reply.lines]
    (relayed,) = [t for t in delivered(programme) if t[1] == "question.relayed"]
    assert relayed[0] == "Omar Diallo" and "Quel framework choisir" in relayed[2]


def test_a_question_awaiting_the_students_choice_reaches_the_new_mentor_once_chosen(
    programme: Programme,
) -> None:
    with programme.database.uow() as uow:  # asked, the router unsure: the student chooses
        question = uow.questions.add(
            programme.people["lea"].id,
            programme.people["mentor"].id,
            "Une question sur mon projet",
            Topic.MENTOR,
            Decision.AWAITING_CHOICE,
            programme.clock.now(),
        )
        uow.commit()
    programme.ok("mentor", "/contact async")
    programme.ok("other.mentor", "/contact async")
    reimport(programme, MOVED)
    assert "handover.question" not in [k for _, k, _ in delivered(programme)]  # nothing decided
    lea = programme.people["lea"].id
    assert not programme.core.handle(lea, RouteQuestion(question.id, Topic.MENTOR)).is_error
    (relayed,) = [t for t in delivered(programme) if t[1] == "question.relayed"]
    assert relayed[0] == "Omar Diallo"
