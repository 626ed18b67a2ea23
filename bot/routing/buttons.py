"""The router's one-click choices, as core `Choice`s that carry `/route` command lines."""

from __future__ import annotations

from bot.replies import Choice, Reply, Text


def choose(question_id: int) -> Reply:
    """The unsure outcome: one line asking, one saying why it matters, two buttons."""
    return Reply(
        (Text("routing.unsure"), Text("routing.why")),
        (
            Choice(Text("routing.choice.mentor"), f"/route {question_id} mentor"),
            Choice(Text("routing.choice.advisor"), f"/route {question_id} advisor"),
        ),
    )


def for_advisor(question_id: int) -> Choice:
    """Under a question relayed to a mentor: "this is for the advisor"."""
    return Choice(Text("routing.choice.for_advisor"), f"/route {question_id} advisor")
