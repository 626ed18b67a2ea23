"""Who handles what on Slack, through signed requests to the real Bolt app: each of the router's
outcomes, the student's one-click choice (the button pressed as the student), the mentor's
"for the advisor" button, and nothing relayed before the student chose."""

from __future__ import annotations

from tests.slack.conftest import LEA, MENTOR, Slack, buttons, said, texts

URL = "https://school.example/advisor"
SURE_ADVISOR = "je voudrais une deuxième séance hebdomadaire"
SURE_MENTOR = "Je bloque sur la jointure SQL"
UNSURE = "probleme de connexion"


def relayed(slack: Slack) -> list[str]:
    """The questions the mentor received in his DM, once the outbox has run."""
    slack.worker().drain()
    return [post.args["text"] for post in slack.dms(MENTOR)]


def test_a_sure_advisor_question_gets_the_topic_and_the_link_and_is_not_relayed(
    slack: Slack,
) -> None:
    slack.programme.ok("mentor", "/contact async")
    answer = slack.command(LEA, "/ask", SURE_ADVISOR, name="ask")
    link = said("ask.advisor_link", url=URL)
    assert texts(answer) == [said("ask.redirected.extra_session"), link]
    assert relayed(slack) == []


def test_a_sure_mentor_question_is_relayed_and_the_mentor_can_send_it_to_the_advisor(
    slack: Slack,
) -> None:
    slack.programme.ok("mentor", "/contact async")
    assert texts(slack.command(LEA, "/ask", SURE_MENTOR, name="ask")) == [said("ask.relayed")]
    slack.worker().drain()
    [question] = slack.dms(MENTOR)
    assert [b["value"] for b in buttons(question)] == ["v1:rq:1", "v1:rt:1"]

    pressed = slack.click_in(question, MENTOR, "v1:rt:1", name="for-advisor")
    assert texts(pressed) == [said("routing.redirected_by_mentor", id=1)]
    slack.worker().drain()
    [told] = slack.dms(LEA)
    assert texts(told)[0] == said(
        "routing.mentor_redirected",
        mentor="Camille Martin",
        question=SURE_MENTOR,
        topic=said("ask.topic.admin"),
        url=URL,
    )
    again = slack.click_in(question, MENTOR, "v1:rt:1", name="again")
    assert texts(again) == [f"⚠️ {said('routing.already_routed', id=1)}"]


def test_an_unsure_question_waits_for_the_students_click_then_reaches_the_mentor(
    slack: Slack,
) -> None:
    slack.programme.ok("mentor", "/contact async")
    asked = slack.command(LEA, "/ask", UNSURE, name="ask")
    assert texts(asked) == [
        said("routing.unsure"),
        said("routing.why"),
        said("routing.choice.mentor"),
        said("routing.choice.advisor"),
    ]
    assert [b["value"] for b in buttons(asked)] == ["v1:rt:1:mentor", "v1:rt:1"]
    assert relayed(slack) == []  # nothing before the student chose

    chose = slack.click_in(asked, LEA, "v1:rt:1:mentor", name="chose")
    assert texts(chose) == [said("ask.relayed")]
    assert relayed(slack) == [said("question.relayed", id=1, student="Léa Dubois", text=UNSURE)]


def test_choosing_the_advisor_gives_the_link_and_relays_nothing(slack: Slack) -> None:
    slack.programme.ok("mentor", "/contact async")
    asked = slack.command(LEA, "/ask", UNSURE, name="ask")
    chose = slack.click_in(asked, LEA, "v1:rt:1", name="chose")
    assert texts(chose)[-1] == said("ask.advisor_link", url=URL)
    assert relayed(slack) == []
    with slack.app.database.uow() as uow:
        assert [(e.label, e.source) for e in uow.routing.all()] == [("advisor", "student")]
