"""Between sessions: the mentor's rule decides what happens to a student's question."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.action_lines import command_line
from bot.domain import Decision, Topic
from bot.i18n import Renderer
from bot.outbox import OutboxWorker
from tests.conftest import Programme
from tests.recording import RecordingDeliverer

# The clock starts on Monday 23 November 2026, 10:00 in Paris (09:00 UTC).


def deliver(programme: Programme) -> list[tuple[str, str]]:
    deliverer = RecordingDeliverer()
    OutboxWorker(programme.database.uow, programme.clock, deliverer).drain()
    return [(person.name, n.key) for person, n in deliverer.sent]


def delivered(programme: Programme) -> RecordingDeliverer:
    deliverer = RecordingDeliverer()
    OutboxWorker(programme.database.uow, programme.clock, deliverer).drain()
    return deliverer


def decisions(programme: Programme, who: str) -> list[Decision]:
    with programme.database.uow() as uow:
        questions = uow.questions.of_student(programme.people[who].id)
    return [q.decision for q in reversed(questions)]


def test_until_the_mentor_chooses_questions_wait_and_the_mentor_is_asked_once(
    programme: Programme,
) -> None:
    assert programme.ok("lea", "/ask Peux-tu relire mon diagramme ?").lines[0].key == (
        "ask.awaiting_rule"
    )
    programme.ok("sam", "/ask Could you review my schema?")
    assert deliver(programme) == [("Camille Martin", "contact.please_set_rule")]
    reply = programme.ok("mentor", "/contact async")
    assert [line.key for line in reply.lines] == ["contact.set", "contact.released"]
    assert reply.lines[1].params["count"] == 2
    assert deliver(programme) == [("Camille Martin", "question.relayed")] * 2
    assert decisions(programme, "lea") == [Decision.RELAYED]


def test_async_relays_at_once_and_the_answer_reaches_the_student(programme: Programme) -> None:
    programme.ok("mentor", "/contact async")
    assert programme.ok("lea", "/ask Je bloque sur la jointure SQL").lines[0].key == "ask.relayed"
    relayed = delivered(programme)
    ((mentor, note),) = relayed.sent
    assert mentor.name == "Camille Martin"
    assert note.params["student"] == "Léa Dubois"
    assert [command_line(c.action) for c in note.choices] == ["/reply 1", "/route 1 advisor"]
    assert programme.ok("mentor", "/reply 1").lines[0].key == "question.reply_usage"
    programme.ok("mentor", "/reply 1 Regarde la clé étrangère de la table commandes.")
    answers = delivered(programme)
    ((student, answer),) = answers.sent
    assert student.name == "Léa Dubois" and answer.key == "question.answered"
    text = Renderer("fr", "Europe/Paris").text(answers.texts()[0])
    assert text == (
        "Camille Martin a répondu à votre question «\u202fJe bloque sur la jointure SQL"
        "\u202f»\u202f: "
        "Regarde la clé étrangère de la table commandes."
    )


def test_none_keeps_the_question_for_the_next_sessions_agenda(programme: Programme) -> None:
    programme.ok("mentor", "/contact none")
    assert programme.ok("lea", "/ask Une question sur le projet 3").lines[0].key == "ask.agenda"
    assert deliver(programme) == []
    assert decisions(programme, "lea") == [Decision.AGENDA]


def test_window_relays_inside_and_holds_outside_until_it_opens(programme: Programme) -> None:
    programme.ok("mentor", "/contact window lun-ven 18:00-20:00")
    reply = programme.ok("lea", "/ask Question du matin")
    assert reply.lines[0].key == "ask.held"
    assert reply.lines[0].params["when"] == datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
    assert deliver(programme) == []
    programme.clock.set(datetime(2026, 11, 23, 16, 59, tzinfo=UTC))
    assert deliver(programme) == []
    programme.clock.set(datetime(2026, 11, 23, 17, 0, tzinfo=UTC))
    assert deliver(programme) == [("Camille Martin", "question.relayed")]
    programme.clock.set(datetime(2026, 11, 23, 18, 30, tzinfo=UTC))  # 19:30 in Paris
    assert programme.ok("lea", "/ask Question du soir").lines[0].key == "ask.relayed"
    programme.clock.set(datetime(2026, 11, 27, 19, 30, tzinfo=UTC))  # Friday 20:30 in Paris
    held = programme.ok("lea", "/ask Question du vendredi soir").lines[0]
    assert held.params["when"] == datetime(2026, 11, 30, 17, 0, tzinfo=UTC)  # Monday 18:00


def test_a_held_question_waits_across_the_autumn_clock_change(programme: Programme) -> None:
    programme.clock.set(datetime(2026, 10, 23, 19, 0, tzinfo=UTC))  # Friday 21:00, summer time
    programme.ok("mentor", "/contact window mon 18:00-20:00")
    held = programme.ok("lea", "/ask Une question").lines[0]
    # Monday 26 October, 18:00 in Paris, is 17:00 UTC: winter time since Sunday.
    assert held.params["when"] == datetime(2026, 10, 26, 17, 0, tzinfo=UTC)


def test_a_rule_for_one_student_overrides_the_mentors_default(programme: Programme) -> None:
    programme.ok("mentor", "/contact none")
    programme.ok("mentor", "/contact async sam@school.example")
    assert programme.ok("sam", "/ask Question").lines[0].key == "ask.relayed"
    assert programme.ok("lea", "/ask Question").lines[0].key == "ask.agenda"
    assert programme.ok("mentor", "/contact").lines[0].key == "contact.menu"


def test_student_side_topics_go_to_the_advisor_whatever_the_rule(programme: Programme) -> None:
    programme.ok("mentor", "/contact async")
    reply = programme.ok("lea", "/ask Je suis malade, je dois faire une pause dans ma formation")
    assert [line.key for line in reply.lines] == ["ask.redirected.pause", "ask.advisor_link"]
    assert reply.lines[1].params["url"] == "https://school.example/advisor"
    assert programme.ok("sam", "/ask Can I have two sessions a week?").lines[0].key == (
        "ask.redirected.extra_session"
    )
    assert deliver(programme) == []
    assert decisions(programme, "lea") == [Decision.REDIRECTED]


def test_a_question_about_project_content_still_reaches_the_mentor(programme: Programme) -> None:
    programme.ok("mentor", "/contact async")
    reply = programme.ok("lea", "/ask Comment organiser le dossier ressources de mon projet ?")
    assert reply.lines[0].key == "ask.relayed"


def test_the_form_offers_topics_and_an_explicit_topic_wins(programme: Programme) -> None:
    menu = programme.ok("lea", "/ask")
    assert [command_line(c.action) for c in menu.choices] == [
        f"/ask topic={t.value}" for t in Topic if t != Topic.MENTOR
    ]
    assert programme.ok("lea", command_line(menu.choices[0].action)).lines[0].key == (
        "ask.redirected.resources"
    )
    assert programme.refused("lea", "/ask topic=weather hello") == "ask.unknown_topic"


def test_roles_and_ownership_are_checked(programme: Programme) -> None:
    assert programme.refused("lea", "/contact async") == "error.not_allowed"
    assert programme.refused("advisor", "/ask Hello") == "error.not_allowed"
    assert programme.refused("other.mentor", "/contact none lea@school.example") == (
        "error.not_your_student"
    )
    programme.ok("mentor", "/contact async")
    programme.ok("lea", "/ask Question")
    assert programme.refused("other.mentor", "/reply 1 Not mine") == "question.not_found"
    assert programme.refused("mentor", "/contact window mon") == "contact.window_needs_hours"
    assert programme.refused("mentor", "/contact sometimes") == "usage.contact"


def test_mentions_typed_by_a_student_ping_nobody_when_relayed(programme: Programme) -> None:
    programme.ok("mentor", "/contact async")
    hostile = "@everyone @here <!channel> <!here> <@U0MENTOR> <@&1234> <#C0GENERAL> help"
    programme.ok("lea", f"/ask topic=mentor {hostile}")  # chosen: not left to the router
    sent = delivered(programme)
    text = Renderer("en", "UTC").text(sent.texts()[0])
    for raw in ("@everyone", "@here", "<!channel>", "<!here>", "<@U0MENTOR>", "<@&", "<#C"):
        assert raw not in text
    assert "help" in text
