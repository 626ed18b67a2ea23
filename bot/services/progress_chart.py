"""`/chart PERSON`: a student's confidence trend as a small chart, sent by DM to the mentor or
advisor who asks; `/progress PERSON` offers it as a button. A reply is text on every platform;
the file goes through the outbox (so `/progress` itself stays a read)."""

from __future__ import annotations

from bot.chart_files import confidence_chart
from bot.commands import PersonRef, SendConfidenceChart
from bot.context import Context
from bot.domain import Notification, Person, Role
from bot.errors import UserError
from bot.replies import Choice, Reply, Text
from bot.services.people import own_student, resolve


def offer(student: Person) -> Choice:
    return Choice(Text("progress.chart_button"), SendConfidenceChart(None, student.id))


def send(ctx: Context, command: SendConfidenceChart) -> Reply:
    student = _student(ctx, command)
    chart = confidence_chart(ctx.uow, student, ctx.actor)
    if chart is None:
        return Reply.say("progress.chart_too_few", name=student.name)
    ctx.notify(
        Notification(
            f"progress-chart:{ctx.actor.id}:{student.id}:{ctx.now.isoformat()}",
            ctx.actor.id,
            "progress.chart_file",
            {"name": student.name},
            attachments=(chart,),
        )
    )
    ctx.uow.commit()
    return Reply.say("progress.chart_sent")


def _student(ctx: Context, command: SendConfidenceChart) -> Person:
    """An advisor's pick of any student; a mentor's own students only."""
    ref = command.person
    if ref is None:
        found = ctx.uow.people.get(command.student_id) if command.student_id else None
        if found is None or not found.has(Role.STUDENT):
            raise UserError("usage.chart")
        ref = PersonRef(found.email)
    if ctx.actor.has(Role.ADVISOR):
        return resolve(ctx, ref)
    ctx.require(Role.MENTOR)
    return own_student(ctx, ref)[0]
