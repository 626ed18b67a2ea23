"""Who a question is for, when the router was unsure or wrong: the student's one-click choice,
a mentor's "this is for the advisor", an advisor's relabelling. Each is kept as a labelled
example, so the corpus grows from real questions."""

from __future__ import annotations

from bot.commands import RouteQuestion
from bot.context import Context
from bot.domain import Decision, Notification, Question, Role, Topic
from bot.errors import UserError
from bot.replies import Reply, Text
from bot.routing.corpus import ADVISOR
from bot.routing.corrections import RoutingExample
from bot.safety import neutralise
from bot.services import contact

DEFAULT_ADVISOR_TOPIC = Topic.ADMIN
# Once the student has been told to see the advisor, a mentor has nothing left to redirect.
NOT_WITH_MENTOR = (Decision.REDIRECTED, Decision.AWAITING_CHOICE)


def route_question(ctx: Context, command: RouteQuestion) -> Reply:
    question = ctx.uow.questions.get(command.question_id)
    if question is not None and question.student_id == ctx.actor.id:
        return _student_chose(ctx, question, command.target)
    if question is not None and question.mentor_id == ctx.actor.id:
        return _mentor_redirects(ctx, question, command.target)
    if question is not None and ctx.actor.has(Role.ADVISOR):
        return _advisor_relabels(ctx, question, command.target)
    raise UserError("question.not_found", id=command.question_id)


def _advisor_topic(question: Question, target: Topic | None) -> Topic:
    if target is not None and target != Topic.MENTOR:
        return target
    return question.topic if question.topic != Topic.MENTOR else DEFAULT_ADVISOR_TOPIC


def _student_chose(ctx: Context, question: Question, target: Topic | None) -> Reply:
    if question.decision != Decision.AWAITING_CHOICE:
        raise UserError("routing.already_routed", id=question.id)
    if target == Topic.MENTOR:
        ctx.uow.questions.set_topic(question.id, Topic.MENTOR)
        _remember(ctx, question, Topic.MENTOR, "student")
        reply = contact.relay(ctx, question)
        ctx.uow.commit()
        return reply
    topic = _advisor_topic(question, target)
    ctx.uow.questions.set_topic(question.id, topic)
    ctx.uow.questions.decide(question.id, Decision.REDIRECTED, None)
    _remember(ctx, question, topic, "student")
    ctx.uow.commit()
    return contact.advisor_reply(ctx, topic)


def _mentor_redirects(ctx: Context, question: Question, target: Topic | None) -> Reply:
    if target == Topic.MENTOR:
        raise UserError("routing.mentor_usage", id=question.id)
    if question.decision in NOT_WITH_MENTOR:
        raise UserError("routing.already_routed", id=question.id)
    topic = _advisor_topic(question, target)
    ctx.uow.questions.set_topic(question.id, topic)
    ctx.uow.questions.decide(question.id, Decision.REDIRECTED, None)
    ctx.uow.outbox.discard_pending(f"question:{question.id}:relay", ctx.now)
    _remember(ctx, question, topic, "mentor")
    ctx.notify(
        Notification(
            idempotency_key=f"question:{question.id}:for-advisor",
            recipient_id=question.student_id,
            key="routing.mentor_redirected",
            params={
                "mentor": ctx.actor.name,
                "question": neutralise(question.text[:200]),
                "topic": Text(f"ask.topic.{topic.value}"),
                "url": ctx.settings.advisor_contact_url,
            },
        )
    )
    ctx.uow.commit()
    return Reply.say("routing.redirected_by_mentor", id=question.id)


def _advisor_relabels(ctx: Context, question: Question, target: Topic | None) -> Reply:
    topic = Topic.MENTOR if target == Topic.MENTOR else _advisor_topic(question, target)
    ctx.uow.questions.set_topic(question.id, topic)
    _remember(ctx, question, topic, "advisor")
    ctx.uow.commit()
    return Reply.say("routing.relabelled", id=question.id, topic=Text(f"ask.topic.{topic.value}"))


def _remember(ctx: Context, question: Question, topic: Topic, source: str) -> None:
    student = ctx.uow.people.get(question.student_id)
    ctx.uow.routing.add(
        RoutingExample(
            text=question.text,
            language=student.locale if student else ctx.settings.locale,
            label="mentor" if topic == Topic.MENTOR else ADVISOR,
            topic=topic.value,
            source=source,
            created_at=ctx.now,
            question_id=question.id,
            by_person_id=ctx.actor.id,
        )
    )
