"""The router's one-click choices, as core `Choice`s that carry `RouteQuestion` actions."""

from __future__ import annotations

from bot.commands import RouteQuestion
from bot.domain import Topic
from bot.replies import Choice, Reply, Text


def choose(question_id: int) -> Reply:
    """The unsure outcome: one line asking, one saying why it matters, two buttons."""
    return Reply(
        (Text("routing.unsure"), Text("routing.why")),
        (
            Choice(Text("routing.choice.mentor"), RouteQuestion(question_id, Topic.MENTOR)),
            Choice(Text("routing.choice.advisor"), RouteQuestion(question_id, None)),
        ),
    )


def for_advisor(question_id: int) -> Choice:
    """Under a question relayed to a mentor: "this is for the advisor"."""
    return Choice(Text("routing.choice.for_advisor"), RouteQuestion(question_id, None))
