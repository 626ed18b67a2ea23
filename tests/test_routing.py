"""Who handles what, through the core: the three outcomes, the student's one-click choice,
the mentor's "this is for the advisor", the advisor's relabelling, and the examples kept."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.action_lines import command_line
from bot.domain import Decision, Topic
from bot.outbox import OutboxWorker
from tests.conftest import Programme
from tests.recording import RecordingDeliverer

UNSURE = "probleme de connexion"  # the platform (advisor) or the project's database (mentor)?


def delivered(programme: Programme) -> list[tuple[str, str, dict[str, object]]]:
    deliverer = RecordingDeliverer()
    OutboxWorker(programme.database.uow, programme.clock, deliverer).drain()
    return [(person.name, n.key, n.params) for person, n in deliverer.sent]


def question(programme: Programme, question_id: int):  # type: ignore[no-untyped-def]
    with programme.database.uow() as uow:
        return uow.questions.get(question_id)


def examples(programme: Programme) -> list[tuple[str, str, str, int | None]]:
    with programme.database.uow() as uow:
        return [(e.label, e.topic, e.source, e.question_id) for e in uow.routing.all()]


def test_sure_advisor_names_the_topic_gives_the_link_and_relays_nothing(
    programme: Programme,
) -> None:
    programme.ok("mentor", "/contact async")
    reply = programme.ok("lea", "/ask je voudrais une deuxième séance hebdomadaire")
    assert [line.key for line in reply.lines] == [
        "ask.redirected.extra_session",
        "ask.advisor_link",
    ]
    assert reply.lines[1].params["url"] == "https://school.example/advisor"
    assert delivered(programme) == []
    assert question(programme, 1).decision == Decision.REDIRECTED


def test_sure_mentor_is_relayed_with_a_for_the_advisor_button(programme: Programme) -> None:
    programme.ok("mentor", "/contact async")
    assert programme.ok("lea", "/ask Je bloque sur la jointure SQL").lines[0].key == "ask.relayed"
    deliverer = RecordingDeliverer()
    OutboxWorker(programme.database.uow, programme.clock, deliverer).drain()
    ((mentor, note),) = deliverer.sent
    assert (mentor.name, note.key) == ("Camille Martin", "question.relayed")
    assert [command_line(c.action) for c in note.choices] == ["/reply 1", "/route 1 advisor"]


def test_unsure_asks_in_one_click_and_nothing_is_relayed_before_the_choice(
    programme: Programme,
) -> None:
    programme.ok("mentor", "/contact async")
    reply = programme.ok("lea", f"/ask {UNSURE}")
    assert [line.key for line in reply.lines] == ["routing.unsure", "routing.why"]
    assert [command_line(c.action) for c in reply.choices] == [
        "/route 1 mentor",
        "/route 1 advisor",
    ]
    assert question(programme, 1).decision == Decision.AWAITING_CHOICE
    assert delivered(programme) == []
    programme.ok("mentor", "/contact async")  # releasing questions awaiting a rule skips it
    assert delivered(programme) == []

    assert programme.ok("lea", command_line(reply.choices[0].action)).lines[0].key == "ask.relayed"
    ((mentor, key, params),) = delivered(programme)
    assert (mentor, key, params["text"]) == ("Camille Martin", "question.relayed", UNSURE)
    assert question(programme, 1).topic == Topic.MENTOR
    assert examples(programme) == [("mentor", "mentor", "student", 1)]
    assert programme.refused("lea", "/route 1 advisor") == "routing.already_routed"


def test_choosing_the_advisor_gives_the_link_and_remembers_the_choice(
    programme: Programme,
) -> None:
    programme.ok("mentor", "/contact async")
    programme.ok("lea", f"/ask {UNSURE}")
    reply = programme.ok("lea", "/route 1 conseiller")
    assert reply.lines[0].key.startswith("ask.redirected.")
    assert reply.lines[1].key == "ask.advisor_link"
    assert delivered(programme) == []
    stored = question(programme, 1)
    assert stored.decision == Decision.REDIRECTED and stored.topic != Topic.MENTOR
    assert examples(programme) == [("advisor", stored.topic.value, "student", 1)]


def test_only_the_student_chooses_for_their_own_question(programme: Programme) -> None:
    programme.ok("lea", f"/ask {UNSURE}")
    assert programme.refused("sam", "/route 1 mentor") == "question.not_found"
    assert programme.refused("other.mentor", "/route 1 advisor") == "question.not_found"
    assert programme.refused("lea", "/route 1") == "routing.usage"
    assert programme.refused("lea", "/route x mentor") == "routing.usage"
    assert programme.refused("lea", "/route 1 weather") == "routing.usage"


def test_the_mentor_marks_a_relayed_question_for_the_advisor(programme: Programme) -> None:
    programme.ok("mentor", "/contact async")
    programme.ok("lea", "/ask Peux-tu relire mon diagramme de classes ?")
    delivered(programme)
    reply = programme.ok("mentor", "/route 1 advisor")
    assert reply.lines[0].key == "routing.redirected_by_mentor"
    ((student, key, params),) = delivered(programme)
    assert (student, key) == ("Léa Dubois", "routing.mentor_redirected")
    assert params["url"] == "https://school.example/advisor"
    assert question(programme, 1).decision == Decision.REDIRECTED
    assert examples(programme) == [("advisor", "admin", "mentor", 1)]
    assert programme.refused("mentor", "/route 1 advisor") == "routing.already_routed"
    assert programme.refused("mentor", "/route 1 mentor") == "routing.mentor_usage"


def test_a_held_question_marked_for_the_advisor_never_reaches_the_mentor(
    programme: Programme,
) -> None:
    programme.ok("mentor", "/contact window lun-ven 18:00-20:00")
    assert programme.ok("lea", "/ask Je bloque sur la jointure SQL").lines[0].key == "ask.held"
    programme.ok("mentor", "/route 1 pause")
    programme.clock.set(datetime(2026, 11, 23, 17, 0, tzinfo=UTC))  # the window opens
    assert [key for _, key, _ in delivered(programme)] == ["routing.mentor_redirected"]
    assert question(programme, 1).topic == Topic.PAUSE


def test_an_advisor_relabels_and_the_example_is_kept(programme: Programme) -> None:
    programme.ok("mentor", "/contact async")
    programme.ok("lea", "/ask je voudrais une deuxième séance hebdomadaire")
    reply = programme.ok("advisor", "/route 1 mentor")
    assert reply.lines[0].key == "routing.relabelled"
    programme.ok("advisor", "/route 1 extra_session")
    assert examples(programme) == [
        ("mentor", "mentor", "advisor", 1),
        ("advisor", "extra_session", "advisor", 1),
    ]
