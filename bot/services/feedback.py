"""The post-session survey: asked after each held session, answered with `/feedback`, shown
in the mentor's `/progress`, and a flag to the advisors after repeated low scores."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.channels import advisor_channels
from bot.commands import AnswerFeedback
from bot.context import Context
from bot.domain import Notification, Person, PersonStatus, Session
from bot.errors import UserError
from bot.feedback import SCORES, low_streak
from bot.ports import UnitOfWork
from bot.replies import Choice, Reply, Text
from bot.safety import neutralise
from bot.settings import Settings

ASK_WITHIN = timedelta(days=7)  # a session held longer ago is not asked about any more


def surveys(uow: UnitOfWork, now: datetime, settings: Settings) -> int:
    """The job: each held session not asked about yet gets its survey, once."""
    if not settings.feedback_survey:
        return 0
    queued = 0
    sessions = uow.feedback.held_unasked(now - ASK_WITHIN, now)
    students = uow.people.get_many({s.student_id for s in sessions})
    for session in sessions:
        student = students.get(session.student_id)
        if student is None or student.status != PersonStatus.ACTIVE:  # paused, or erased
            continue
        if uow.feedback.ask(session, now):
            uow.outbox.add(_prompt(uow, session), now)
            queued += 1
    uow.commit()
    return queued


def _prompt(uow: UnitOfWork, session: Session) -> Notification:
    host = uow.people.get(session.host_id)
    return Notification(
        f"feedback:{session.id}",
        session.student_id,
        "feedback.prompt",
        {"id": session.id, "when": session.starts_at, "with": host.name if host else "?"},
        choices=tuple(
            Choice(Text("feedback.score", {"score": n}), AnswerFeedback(session.id, n))
            for n in SCORES
        ),
    )


def answer(ctx: Context, command: AnswerFeedback) -> Reply:
    asked = ctx.uow.feedback.get(command.session_id)
    if asked is None or asked.student_id != ctx.actor.id:  # reveals nothing of others' surveys
        raise UserError("feedback.not_asked", id=command.session_id)
    if command.score is None and not command.comment:
        return Reply(
            (Text("feedback.ask_again", {"id": command.session_id}),),
            _prompt(ctx.uow, _session(ctx, command.session_id)).choices,
        )
    if command.score is not None and command.score not in SCORES:
        raise UserError("feedback.bad_score", value=command.score)
    ctx.uow.feedback.answer(command.session_id, command.score, command.comment or None, ctx.now)
    if command.score is not None:
        _flag_if_low(ctx, command.session_id)
    ctx.uow.commit()
    if command.comment:
        return Reply.say("feedback.thanks_comment")
    return Reply.say("feedback.thanks_score", id=command.session_id)


def _session(ctx: Context, session_id: int) -> Session:
    session = ctx.uow.sessions.get(session_id)
    if session is None:
        raise UserError("feedback.not_asked", id=session_id)
    return session


def _flag_if_low(ctx: Context, session_id: int) -> None:
    """Low scores `feedback_low_streak` times in a row: the advisors are told, once per streak
    (the mentor is not: this is about how the student lives the mentoring)."""
    settings = ctx.settings
    answers = ctx.uow.feedback.of_student(ctx.actor.id, settings.feedback_low_streak)
    if not low_streak(answers, settings.feedback_low_score, settings.feedback_low_streak):
        return
    ctx.uow.feedback.mark_flagged(session_id, ctx.now)
    scores = [a.score for a in reversed(answers)]
    mentor = ctx.name_of(answers[0].host_id)
    for channel in advisor_channels(settings):
        ctx.notify(
            Notification(
                f"feedback-flag:{session_id}:{channel}",
                None,
                "feedback.flag",
                {"name": ctx.actor.name, "mentor": mentor, "scores": scores},
                channel=channel,
            )
        )


def progress_lines(uow: UnitOfWork, student: Person) -> list[Text]:
    """For the mentor's and the advisors' `/progress`: the latest scores and comment."""
    answers = uow.feedback.of_student(student.id, 6)
    scored = [str(a.score) for a in reversed(answers) if a.score is not None]
    if not scored:
        return []
    lines = [Text("feedback.progress", {"scores": " → ".join(scored)})]
    comment = next((a.comment for a in answers if a.comment), None)
    if comment:
        lines.append(Text("feedback.progress_comment", {"comment": neutralise(comment)}))
    return lines
