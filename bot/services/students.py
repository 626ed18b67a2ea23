"""`/students [at-risk|paused|unlinked] [mentor PERSON] [path NAME]`: a page of students with
their mentor, current project, last session, last check-in, confidence trend and live alerts.

Advisors see the programme; a mentor sees their own students only (the mentor filter is
theirs, whatever they type). At risk is the overview's definition (`bot.overview.at_risk`).
A page is `PAGE` lines, so it fits Slack's blocks and Discord's 2,000 characters at any size.
"""

from __future__ import annotations

from dataclasses import replace

from bot.commands import PATH_ON_BUTTON, ListStudents
from bot.context import Context
from bot.domain import Role
from bot.errors import UserError
from bot.overview import at_risk
from bot.ports.advising import StudentFacts, StudentFilter, StudentPage
from bot.replies import Choice, Reply, Text
from bot.services.people import resolve

PAGE = 8  # lines of about 210 characters: a page under Discord's 2,000
TREND_STEP = 1  # a change of at least one point of confidence is a trend


def list_students(ctx: Context, command: ListStudents) -> Reply:
    mentor_id = _mentor(ctx, command)
    risky = command.which == "at_risk"
    which = StudentFilter(
        only=_at_risk(ctx) if risky else None,
        active=risky,  # as the overview counts them: the active students
        paused=command.which == "paused",
        unlinked=command.which == "unlinked",
        mentor_id=mentor_id,
        path=command.path,
    )
    page = max(command.page, 1)
    found = ctx.uow.advising.student_page(which, ctx.now, (page - 1) * PAGE, PAGE)
    if found.total and not found.students:  # past the last page: the last one
        page = (found.total - 1) // PAGE + 1
        found = ctx.uow.advising.student_page(which, ctx.now, (page - 1) * PAGE, PAGE)
    lines = [_header(found, page), *(_line(s) for s in found.students)]
    carried = replace(command, mentor=None, mentor_id=mentor_id)
    return Reply(tuple(lines), tuple(_paging(carried, page, found)))


def _mentor(ctx: Context, command: ListStudents) -> int | None:
    """The mentor whose students are listed: a mentor's own, always; an advisor's choice."""
    if not ctx.actor.has(Role.ADVISOR):
        ctx.require(Role.MENTOR)
        return ctx.actor.id
    if command.mentor is not None:
        mentor = resolve(ctx, command.mentor)
        if not mentor.has(Role.MENTOR):
            raise UserError("students.not_a_mentor", name=mentor.name)
        return mentor.id
    return command.mentor_id


def _at_risk(ctx: Context) -> set[int]:
    return set(at_risk(ctx.uow, ctx.now, ctx.uow.reports.live_alerts(), None))


def _header(found: StudentPage, page: int) -> Text:
    if not found.total:
        return Text("students.none")
    first = (page - 1) * PAGE + 1
    last = first + len(found.students) - 1
    return Text("students.page", {"first": first, "last": last, "total": found.total})


def _line(s: StudentFacts) -> Text:
    return Text(
        "students.line",
        {
            "name": s.name,
            "paused": Text("students.paused") if s.status.value == "paused" else "",
            "mentor": s.mentor or Text("students.no_mentor"),
            "project": s.project or Text("students.no_project"),
            "session": s.last_session or Text("students.no_session"),
            "checkin": s.last_checkin or Text("students.no_checkin"),
            "trend": _trend(s.confidences),
            "alerts": s.live_alerts,
        },
    )


def _trend(confidences: tuple[int, ...]) -> Text:
    """The recent confidences, oldest first, and which way they go."""
    if not confidences:
        return Text("students.trend.none")
    scores = " → ".join(str(c) for c in confidences)
    change = confidences[-1] - confidences[0]
    way = "up" if change >= TREND_STEP else "down" if change <= -TREND_STEP else "flat"
    return Text(f"students.trend.{way}", {"scores": scores})


def _paging(command: ListStudents, page: int, found: StudentPage) -> list[Choice]:
    choices = []
    if page > 1:
        earlier = replace(command, page=page - 1)
        choices.append(Choice(Text("paging.previous", {"page": page - 1}), earlier))
    if page * PAGE < found.total:
        later = replace(command, page=page + 1)
        choices.append(Choice(Text("paging.next", {"page": page + 1}), later))
    if command.path is not None and not PATH_ON_BUTTON.fullmatch(command.path):
        return []  # free text cannot go on a button: the header says how to type the page
    return choices
