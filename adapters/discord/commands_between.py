"""Between and after sessions: `/ask`, `/contact`, `/reply`, `/escalate`, `/checkin`, `/notes`.

As in `commands`, a callback only joins its typed options into the line the core parses; a
person picked with a user option becomes a mention (`<@123>`), which the core resolves through
the Discord identity. Without options the core answers with its menu, shown as buttons.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from adapters.discord import autocomplete, forms
from adapters.discord.handler import Handler
from adapters.discord.options import (
    ATTENDANCE,
    CATEGORIES,
    RULES,
    TOPICS,
    User,
    mention,
    words,
)
from adapters.discord.translator import description, name
from bot.commands import NotesFields, PersonRef, RaiseAlert, RecordAttendance
from bot.vocabulary import alert_category

Interaction = discord.Interaction[Any]
Choice = app_commands.Choice
Command = app_commands.Command[Any, ..., None]


def commands(handler: Handler) -> list[Command]:
    return [
        ask(handler),
        contact(handler),
        reply(handler),
        escalate(handler),
        checkin(handler),
        notes(handler),
    ]


def ask(handler: Handler) -> Command:
    @app_commands.command(name=name("ask"), description=description("ask"))
    @app_commands.rename(question=name("opt_question"), topic=name("opt_topic"))
    @app_commands.describe(question=description("opt_question"), topic=description("opt_topic"))
    @app_commands.choices(topic=TOPICS)
    async def command(
        interaction: Interaction, question: str | None = None, topic: str | None = None
    ) -> None:
        await handler.command(interaction, "ask", words(topic and f"topic={topic}", question))

    return command


def contact(handler: Handler) -> Command:
    @app_commands.command(name=name("contact"), description=description("contact"))
    @app_commands.rename(
        rule=name("opt_rule"),
        days=name("opt_days"),
        hours=name("opt_hours"),
        student=name("opt_one_student"),
    )
    @app_commands.describe(
        rule=description("opt_rule"),
        days=description("opt_days"),
        hours=description("opt_hours"),
        student=description("opt_one_student"),
    )
    @app_commands.choices(rule=RULES)
    async def command(
        interaction: Interaction,
        rule: str | None = None,
        days: str | None = None,
        hours: str | None = None,
        student: User | None = None,
    ) -> None:
        await handler.command(interaction, "contact", words(rule, days, hours, mention(student)))

    return command


def reply(handler: Handler) -> Command:
    @app_commands.command(name=name("reply"), description=description("reply"))
    @app_commands.rename(question=name("opt_question_id"), answer=name("opt_answer"))
    @app_commands.describe(
        question=description("opt_question_id"), answer=description("opt_answer")
    )
    async def command(interaction: Interaction, question: int, answer: str | None = None) -> None:
        await handler.command(interaction, "reply", words(question, answer))

    return command


def escalate(handler: Handler) -> Command:
    @app_commands.command(name=name("escalate"), description=description("escalate"))
    @app_commands.rename(
        category=name("opt_category"),
        student=name("opt_student"),
        summary=name("opt_summary"),
        details=name("opt_details"),
    )
    @app_commands.describe(
        category=description("opt_category"),
        student=description("opt_student"),
        summary=description("opt_summary"),
        details=description("opt_details"),
    )
    @app_commands.choices(category=CATEGORIES)
    async def command(
        interaction: Interaction,
        category: str,
        student: User,
        summary: str,
        details: str | None = None,
    ) -> None:
        await handler.typed(
            interaction,
            lambda: RaiseAlert(
                alert_category(category),  # the choices, unless the payload was forged
                PersonRef(f"<@{student.id}>"),
                summary.strip(),
                details.strip() if details and details.strip() else None,
            ),
        )

    return command


def checkin(handler: Handler) -> Command:
    @app_commands.command(name=name("checkin"), description=description("checkin"))
    @app_commands.rename(
        confidence=name("opt_confidence"),
        progress=name("opt_progress"),
        blockers=name("opt_blockers"),
        goal=name("opt_goal"),
    )
    @app_commands.describe(
        confidence=description("opt_confidence"),
        progress=description("opt_progress"),
        blockers=description("opt_blockers"),
        goal=description("opt_goal"),
    )
    async def command(
        interaction: Interaction,
        confidence: app_commands.Range[int, 1, 5] | None = None,
        progress: str | None = None,
        blockers: str | None = None,
        goal: str | None = None,
    ) -> None:
        """All four typed: answered at once; otherwise the form, with what was typed in it."""
        answer = forms.Checkin(confidence, progress, blockers, goal)
        if (typed := answer.command()) is not None:
            await handler.typed(interaction, typed)
        else:
            await handler.form(interaction, forms.Opening("checkin"), prefill=answer)

    return command


def notes(handler: Handler) -> Command:
    """`/notes SESSION [ATTENDANCE] [PROGRESS | TO IMPROVE | GOALS | READY]`: the fields are
    options of their own, joined into the line only when one of them is given."""

    @app_commands.command(name=name("notes"), description=description("notes"))
    @app_commands.rename(
        session=name("opt_session"),
        attendance=name("opt_attendance"),
        progress=name("opt_progress"),
        improve=name("opt_improve"),
        goals=name("opt_goals"),
        ready=name("opt_ready"),
    )
    @app_commands.describe(
        session=description("opt_session_notes"),
        attendance=description("opt_attendance"),
        progress=description("opt_notes_progress"),
        improve=description("opt_improve"),
        goals=description("opt_goals"),
        ready=description("opt_ready"),
    )
    @app_commands.choices(attendance=ATTENDANCE)
    async def command(
        interaction: Interaction,
        session: int,
        attendance: str | None = None,
        progress: str | None = None,
        improve: str | None = None,
        goals: str | None = None,
        ready: bool | None = None,
    ) -> None:
        written = None
        if any(field is not None for field in (progress, improve, goals, ready)):
            written = NotesFields(progress or "", improve or "", goals or "", bool(ready))
        await handler.typed(interaction, RecordAttendance(session, attendance, written))

    @command.autocomplete("session")
    async def numbers(interaction: Interaction, current: str) -> list[Choice[int]]:
        return await autocomplete.sessions_to_note(handler, interaction, current)

    return command
