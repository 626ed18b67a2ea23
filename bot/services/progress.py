"""`/progress`: a student's path; a mentor's students at a glance; any student for advisors."""

from __future__ import annotations

from bot.commands import ListStudents, ShowProgress
from bot.context import Context
from bot.domain import Attendance, Person, PersonStatus, Role
from bot.errors import UserError
from bot.replies import Choice, Reply, Text
from bot.safety import neutralise
from bot.services.feedback import progress_lines
from bot.services.paths import standing
from bot.services.people import own_student, resolve
from bot.services.progress_chart import offer

STUDENTS = Text("students.button")


def show(ctx: Context, command: ShowProgress) -> Reply:
    if command.person is None:
        if ctx.actor.has(Role.STUDENT):
            return Reply(tuple(_path(ctx, ctx.actor)))
        if ctx.actor.has(Role.MENTOR):
            return _overview(ctx)
        if ctx.actor.has(Role.ADVISOR):  # the programme's students are a list of their own
            return Reply((Text("progress.advisor_students"),), (Choice(STUDENTS, ListStudents()),))
        raise UserError("usage.progress")
    if ctx.actor.has(Role.ADVISOR):
        student = resolve(ctx, command.person)
    else:
        ctx.require(Role.MENTOR)
        student, _ = own_student(ctx, command.person)
    chart = (offer(student),)  # the confidence chart, by DM (this reply only reads)
    return Reply((*_path(ctx, student), *_summary(ctx, student)), chart)


def _path(ctx: Context, student: Person) -> list[Text]:
    path = standing(ctx.uow, student.id, ctx.now)
    if not path.projects:
        return [Text("progress.no_path", {"name": student.name}), *_paused(student)]
    mentorship = ctx.uow.mentorships.for_student(student.id)
    lines = [
        Text(
            "progress.title", {"name": student.name, "path": mentorship.path if mentorship else ""}
        )
    ]
    lines += _paused(student)
    for project, state in path.projects:
        lines.append(
            Text(
                "progress.project",
                {
                    "position": project.position,
                    "code": project.code,
                    "title": project.title,
                    "status": Text(f"project.{state.status.value}"),
                },
            )
        )
        if state.rework_items:
            lines.append(Text("progress.rework", {"items": neutralise(state.rework_items)}))
    notes = ctx.uow.notes.latest(student.id)
    if notes and notes.goals:
        lines.append(Text("progress.goals", {"goals": neutralise(notes.goals)}))
    return lines


def _paused(student: Person) -> list[Text]:
    """A paused student's state, said where their path is shown."""
    return [Text("progress.paused")] if student.status == PersonStatus.PAUSED else []


def _summary(ctx: Context, student: Person) -> list[Text]:
    """Confidence over the last check-ins, attendance, and the mentor's last notes."""
    confidences = [
        c.confidence for c in reversed(ctx.uow.checkins.recent(student.id, 6)) if c.confidence
    ]
    attendance = ctx.uow.notes.attendance(student.id)
    present = sum(a in (Attendance.PRESENT, Attendance.LATE) for a in attendance)
    lines = [
        Text(
            "progress.trend",
            {
                "trend": " → ".join(str(c) for c in confidences) or "–",
                "present": present,
                "recorded": len(attendance),
            },
        )
    ]
    lines += progress_lines(ctx.uow, student)  # the post-session survey's answers
    notes = ctx.uow.notes.latest(student.id)
    if notes and notes.progress:
        lines.append(
            Text(
                "progress.last_notes",
                {
                    "when": notes.recorded_at,
                    "progress": neutralise(notes.progress),
                    "improvements": neutralise(notes.improvements or ""),
                },
            )
        )
    return lines


def _overview(ctx: Context) -> Reply:
    lines = [Text("progress.mentor_title")]
    for mentorship in ctx.uow.mentorships.for_mentor(ctx.actor.id):
        student = ctx.uow.people.get(mentorship.student_id)
        if student is None:
            continue
        current = standing(ctx.uow, student.id, ctx.now).current
        project = (
            Text(
                "progress.current",
                {"title": current[0].title, "status": Text(f"project.{current[1].status.value}")},
            )
            if current
            else Text("progress.none")
        )
        lines.append(Text("progress.student", {"name": student.name, "project": project}))
        lines += _paused(student)
        lines += _summary(ctx, student)
    if len(lines) == 1:
        lines.append(Text("progress.no_students"))
    return Reply(tuple(lines))
