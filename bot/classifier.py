"""Who handles a student's question: the advisor, the mentor, or "ask the student".

The school guide's table (extra resources, a second weekly session, a pause, admin and
support, disability accommodations: the advisor's; the project: the mentor's) is learned from
the labelled corpus in `bot/routing/`, not written as patterns. Below the confidence the
thresholds demand, the bot does not guess: it asks the student, in one click.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.domain import Topic
from bot.routing.model import Weights, shipped


class Outcome(enum.StrEnum):
    ADVISOR = "advisor"  # sure: answered with the advisor's link, never relayed
    MENTOR = "mentor"  # sure: relayed under the mentor's contact rule
    ASK = "ask"  # unsure: the student picks, nothing is relayed before


@dataclass(frozen=True)
class Routing:
    outcome: Outcome
    topic: Topic  # the likeliest advisor topic when the outcome is ADVISOR or ASK
    advisor_probability: float


def route(text: str, language: str, weights: Weights | None = None) -> Routing:
    """Route `text`, written by a student whose language is `language` (`fr`, `en`)."""
    model = weights or shipped()
    scores = model.score(text)
    thresholds = model.thresholds_for(language)
    p = scores.advisor
    if p >= thresholds.advisor:
        outcome = Outcome.ADVISOR
    elif p <= thresholds.mentor:
        outcome = Outcome.MENTOR
    else:
        outcome = Outcome.ASK
    topic = Topic.MENTOR if outcome == Outcome.MENTOR else Topic(scores.advisor_topic)
    return Routing(outcome, topic, p)


def classify(text: str, language: str = "fr") -> Topic:
    """The topic alone: an advisor topic when sure or unsure, MENTOR when sure it is his."""
    return route(text, language).topic
