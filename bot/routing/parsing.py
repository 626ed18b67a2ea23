"""`/route ID TARGET`: the one command behind the router's buttons and corrections."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot import commands as c
from bot.domain import Topic
from bot.errors import UserError
from bot.text import ascii_int
from bot.timeparse import fold
from bot.vocabulary import TOPICS

# French and English words for "the advisor, whatever the topic" and "the mentor".
ADVISOR_WORDS = frozenset({"advisor", "conseiller", "conseillere"})
MENTOR_WORDS = frozenset({"mentor", "mentore", "project", "projet"})


def parse_route(text: str, zone: ZoneInfo) -> c.Command:
    words = text.split()
    number = ascii_int(words[0].lstrip("#")) if words else None
    if number is None or len(words) != 2:
        raise UserError("routing.usage")
    return c.RouteQuestion(number, _target(words[1].lower()))


def _target(word: str) -> Topic | None:
    folded = fold(word)
    if folded in ADVISOR_WORDS:
        return None
    if folded in MENTOR_WORDS:
        return Topic.MENTOR
    topic = TOPICS.lookup(folded)  # either language: `ressources`, `resources`
    if topic is None:
        raise UserError("routing.usage")
    return Topic(topic)
