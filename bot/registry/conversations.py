"""Between sessions: `/contact`, `/ask`, `/reply`, `/route`.

The parsers take the raw text, because questions keep their line breaks and spacing.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from bot import commands as c
from bot.domain import ContactRule, Topic
from bot.errors import UserError
from bot.registry.model import ADVISOR, MENTOR, STUDENT, Field, Form, Help, Kind, Option, Spec
from bot.registry.values import Values
from bot.registry.words import is_person, number, parse_days
from bot.routing.parsing import parse_route
from bot.timeparse import parse_time_range
from bot.vocabulary import RULES, TOPICS

_TOPIC = re.compile(r"^(topic|sujet)=([\w-]+)\s*", re.I)


def parse_contact(text: str, zone: ZoneInfo) -> c.Command:
    words = text.split()
    if not words:
        return c.SetContactRule(None)
    rule = ContactRule(RULES.read(words[0]))
    rest = words[1:]
    person = c.PersonRef(rest.pop()) if rest and is_person(rest[-1]) else None
    return _rule(rule, rest, person)


def _rule(rule: ContactRule, rest: list[str], person: c.PersonRef | None) -> c.Command:
    """The rule with its days and hours (`window` only) for one student or all."""
    if rule != ContactRule.WINDOW:
        if rest:
            raise UserError("usage.contact")
        return c.SetContactRule(rule, person=person)
    if len(rest) != 2:
        raise UserError("contact.window_needs_hours")
    starts, ends = parse_time_range(rest[1])
    return c.SetContactRule(rule, parse_days(rest[0]), starts, ends, person)


def _build_contact(v: Values) -> c.Command:
    rule, rest = v.choice("rule", RULES), [w for w in (v.text("days"), v.text("hours")) if w]
    if rule is None:
        if rest or v.person("student"):
            raise UserError("usage.contact")
        return c.SetContactRule(None)
    return _rule(ContactRule(rule), rest, v.person("student"))


def parse_ask(text: str, zone: ZoneInfo) -> c.Command:
    text = text.strip()
    topic = None
    if match := _TOPIC.match(text):
        topic = Topic(TOPICS.read(match[2]))  # either language: `sujet=ressources`
        text = text[match.end() :]
    return c.AskQuestion(text.strip(), topic)


def _build_ask(v: Values) -> c.Command:
    topic = v.choice("topic", TOPICS)
    return c.AskQuestion(v.raw("question").strip(), Topic(topic) if topic else None)


def parse_reply(text: str, zone: ZoneInfo) -> c.Command:
    first, _, answer = text.strip().partition(" ")
    if not first:
        raise UserError("usage.reply")
    return c.ReplyToQuestion(number(first, "usage.reply"), answer.strip())


SPECS = (
    Spec(
        "contact",
        parse_contact,
        MENTOR,
        {c.SetContactRule: "contact.set_rule"},
        _build_contact,
        (
            Option("rule", Kind.CHOICE, vocabulary=RULES),
            Option("days", Kind.TEXT),
            Option("hours", Kind.TEXT),
            Option("student", Kind.PERSON, key="one_student"),
        ),
        help=(Help("help.contact"),),
        usage="none|async|window [DAYS HH:MM-HH:MM] [@student]",
    ),
    Spec(
        "ask",
        parse_ask,
        STUDENT,
        {c.AskQuestion: "contact.ask"},
        _build_ask,
        (Option("question", Kind.LONG_TEXT), Option("topic", Kind.CHOICE, vocabulary=TOPICS)),
        help=(Help("help.ask"),),
        usage="[topic=T] QUESTION",
    ),
    Spec(
        "reply",
        parse_reply,
        MENTOR,
        {c.ReplyToQuestion: "contact.reply"},
        lambda v: c.ReplyToQuestion(
            v.required_number("question", "usage.reply"), v.raw("answer").strip()
        ),
        (
            Option("question", Kind.INT, key="question_id", required=True),
            Option("answer", Kind.LONG_TEXT, max_length=2900),
        ),
        help=(Help("help.reply"),),
        usage="NUMBER ANSWER",
        form=Form("reply", (Field("answer", required=True),), ("question",), quote=True),
    ),
    Spec(
        "route",
        parse_route,
        MENTOR | ADVISOR,
        {c.RouteQuestion: "routing.route_question"},
        help=(Help("help.route"),),
        usage="NUMBER mentor|advisor",
    ),
)
