"""Between sessions: the mentor's contact rule, students' questions and mentors' replies."""

from __future__ import annotations

from datetime import datetime

from bot.classifier import Outcome, route
from bot.commands import AskQuestion, ReplyToQuestion, SetContactRule
from bot.contact_windows import next_opening
from bot.context import Context
from bot.domain import (
    ContactPolicy,
    ContactRule,
    Decision,
    Notification,
    Question,
    Role,
    Topic,
)
from bot.errors import UserError
from bot.ports import UnitOfWork
from bot.replies import Choice, Reply, Text
from bot.routing import buttons
from bot.safety import neutralise
from bot.services.people import own_student
from bot.weekly import WeeklyHours

ADVISOR_TOPICS = [t for t in Topic if t != Topic.MENTOR]


def set_rule(ctx: Context, command: SetContactRule) -> Reply:
    ctx.require(Role.MENTOR)
    if command.rule is None:
        return _rule_menu()
    zone = ctx.actor.timezone if command.rule == ContactRule.WINDOW else None
    policy = ContactPolicy(command.rule, command.days, command.starts, command.ends, zone)
    if command.person is not None:
        student, _ = own_student(ctx, command.person)
        ctx.uow.contact.set_for_student(student.id, policy)
        students = [student.id]
        scope = Text("contact.scope.one", {"name": student.name})
    else:
        ctx.uow.contact.set_default(ctx.actor.id, policy)
        students = [m.student_id for m in ctx.uow.mentorships.for_mentor(ctx.actor.id)]
        scope = Text("contact.scope.all")
    waiting = [
        q
        for q in ctx.uow.questions.with_decision(ctx.actor.id, Decision.AWAITING_RULE)
        if q.student_id in students
    ]
    for question in waiting:  # a key of its own: one handed over from another mentor had a relay
        _route(ctx, question, ctx.uow.contact.effective(question.student_id), again=True)
    held = _held_again(ctx, students)
    ctx.uow.commit()
    lines = [Text("contact.set", {"rule": describe(policy, ctx.now), "scope": scope})]
    if waiting:
        lines.append(Text("contact.released", {"count": len(waiting)}))
    if held:
        lines.append(Text("contact.held_rerouted", {"count": held}))
    return Reply(tuple(lines))


def _rule_menu() -> Reply:
    choices = (
        Choice(Text("contact.rule.none"), SetContactRule(ContactRule.NONE)),
        Choice(Text("contact.rule.async"), SetContactRule(ContactRule.ASYNC)),
    )
    return Reply((Text("contact.menu"),), choices)


def _held_again(ctx: Context, students: list[int]) -> int:
    """A held question follows the rule in force when it would be delivered: a new rule decides
    it again now, and its student is told what became of it (unless nothing changed)."""
    held = [
        q
        for q in ctx.uow.questions.with_decision(ctx.actor.id, Decision.HELD)
        if q.student_id in students and q.answer is None
    ]
    for question in held:
        policy = ctx.uow.contact.effective(question.student_id)
        if _held_until(policy, ctx.now) == question.deliver_at:
            continue  # held until the same time: nothing changes, nothing to tell
        ctx.uow.outbox.discard_pending(f"question:{question.id}:relay", ctx.now)
        outcome = _route(ctx, question, policy, again=True)
        ctx.notify(
            Notification(
                idempotency_key=f"question:{question.id}:rerouted:{ctx.now.isoformat()}",
                recipient_id=question.student_id,
                key="ask.rerouted",
                params={"text": neutralise(question.text[:120]), "outcome": outcome.lines[0]},
            )
        )
    return len(held)


def describe(policy: ContactPolicy, at: datetime) -> Text:
    """The rule, its hours shown on the reader's clock (the week of `at`)."""
    if policy.rule != ContactRule.WINDOW:
        return Text(f"contact.rule.{policy.rule.value}")
    assert policy.starts is not None and policy.ends is not None and policy.timezone
    days = tuple(sorted(policy.days))
    hours = WeeklyHours(days, policy.starts, policy.ends, policy.timezone, at)
    return Text("contact.rule.window_hours", {"hours": hours})


def ask(ctx: Context, command: AskQuestion) -> Reply:
    ctx.require(Role.STUDENT)
    mentorship = ctx.uow.mentorships.for_student(ctx.actor.id)
    if mentorship is None:
        raise UserError("booking.no_mentorship")
    if not command.text and command.topic in (None, Topic.MENTOR):
        return _topic_menu()
    if command.topic is not None:
        topic = command.topic
        outcome = Outcome.MENTOR if topic == Topic.MENTOR else Outcome.ADVISOR
    else:
        routing = route(command.text, ctx.actor.locale)
        topic, outcome = routing.topic, routing.outcome
    decision = {
        Outcome.ADVISOR: Decision.REDIRECTED,
        Outcome.MENTOR: Decision.AWAITING_RULE,
        Outcome.ASK: Decision.AWAITING_CHOICE,  # nothing is relayed before the student chose
    }[outcome]
    question = ctx.uow.questions.add(
        ctx.actor.id, mentorship.mentor_id, command.text, topic, decision, ctx.now
    )
    if outcome == Outcome.MENTOR:
        reply = relay(ctx, question)
    elif outcome == Outcome.ASK:
        reply = buttons.choose(question.id)
    else:
        reply = advisor_reply(ctx, topic)
    ctx.uow.commit()
    return reply


def advisor_reply(ctx: Context, topic: Topic) -> Reply:
    """Sure it is the advisor's: name the topic, give the link, relay nothing."""
    return Reply(
        (
            Text(f"ask.redirected.{topic.value}"),
            Text("ask.advisor_link", {"url": ctx.settings.advisor_contact_url}),
        )
    )


def relay(ctx: Context, question: Question) -> Reply:
    """A question for the mentor, under the rule in force for its student."""
    return _route(ctx, question, ctx.uow.contact.effective(question.student_id))


def _held_until(policy: ContactPolicy, now: datetime) -> datetime | None:
    """When a question asked now would reach the mentor, if not at once (None: now, or never)."""
    if policy.rule != ContactRule.WINDOW:
        return None
    opening = next_opening(policy, now)
    return opening if opening > now else None


def _relay_key(question: Question, again: datetime | None, policy: ContactPolicy) -> str:
    """A question relayed again (under a new rule) is a new message: a key of its own."""
    key = f"question:{question.id}:relay"
    return f"{key}:{again:%Y%m%dT%H%M%S%f}:{policy.rule.value}" if again else key


def _topic_menu() -> Reply:
    choices = tuple(
        Choice(Text(f"ask.topic.{t.value}"), AskQuestion("", t)) for t in ADVISOR_TOPICS
    )
    return Reply((Text("ask.menu"),), choices)


def _route(
    ctx: Context, question: Question, policy: ContactPolicy, *, again: bool = False
) -> Reply:
    return decide(ctx.uow, question, policy, ctx.now, again=again)


def decide(
    uow: UnitOfWork,
    question: Question,
    policy: ContactPolicy,
    now: datetime,
    *,
    again: bool = False,
) -> Reply:
    """Decide what happens to a question for its mentor under `policy`, and record it; the
    reply is what the student is told (also outside a command: a change of mentor)."""
    if policy.rule == ContactRule.UNSET:
        uow.questions.decide(question.id, Decision.AWAITING_RULE, None)
        uow.outbox.add(
            Notification(
                idempotency_key=f"contact:ask-rule:{question.mentor_id}",
                recipient_id=question.mentor_id,
                key="contact.please_set_rule",
                choices=_rule_menu().choices,
            ),
            now,
        )
        return Reply.say("ask.awaiting_rule")
    if policy.rule == ContactRule.NONE:
        uow.questions.decide(question.id, Decision.AGENDA, None)
        return Reply.say("ask.agenda")
    opening = now if policy.rule == ContactRule.ASYNC else next_opening(policy, now)
    held = opening > now
    decision = Decision.HELD if held else Decision.RELAYED
    uow.questions.decide(question.id, decision, opening if held else None)
    student = uow.people.get(question.student_id)
    uow.outbox.add(
        Notification(
            idempotency_key=_relay_key(question, now if again else None, policy),
            recipient_id=question.mentor_id,
            key="question.relayed",
            params={
                "id": question.id,
                "student": student.name if student else "?",
                "text": neutralise(question.text),
            },
            choices=(
                Choice(Text("choice.reply", {"id": question.id}), ReplyToQuestion(question.id, "")),
                buttons.for_advisor(question.id),
            ),
            not_before=opening if held else None,
        ),
        now,
    )
    if held:
        return Reply.say("ask.held", when=opening, rule=describe(policy, opening))
    return Reply.say("ask.relayed")


def reply(ctx: Context, command: ReplyToQuestion) -> Reply:
    ctx.require(Role.MENTOR)
    question = ctx.uow.questions.get(command.question_id)
    if question is None or question.mentor_id != ctx.actor.id:
        raise UserError("question.not_found", id=command.question_id)
    if not command.text:
        return Reply.say("question.reply_usage", id=question.id, text=neutralise(question.text))
    ctx.uow.questions.answer(question.id, command.text, ctx.now)
    ctx.notify(
        Notification(
            idempotency_key=f"question:{question.id}:answer:{ctx.now.isoformat()}",
            recipient_id=question.student_id,
            key="question.answered",
            params={
                "mentor": ctx.actor.name,
                "question": neutralise(question.text[:200]),
                "answer": neutralise(command.text),
            },
        )
    )
    ctx.uow.commit()
    return Reply.say("question.answer_sent", id=question.id)
