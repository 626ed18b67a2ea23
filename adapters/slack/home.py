"""The App Home tab: what each person has coming, published when they open it.

Sections are looked up by role in `SECTIONS`: a student's path, this week's check-in and
sessions; a mentor's students (next session, last check-in, open alerts); the advisors'
overview of the programme (the core's `/overview`) and their alerts.
Buttons here are the same choice buttons as anywhere else (their value an encoded action): a
click runs it as the person (or opens its form), answers in their DM and republishes the tab.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from adapters.bootstrap import App
from adapters.slack.identity import SlackIdentity
from adapters.slack.render import Block, SlackRenderer, button, header, reply_blocks, section
from bot.actions import encode
from bot.commands import AnswerCheckin, BookSession
from bot.domain import Person, Role
from bot.replies import Text
from bot.views import CheckinWeek, StudentLine

HOME_BLOCK_LIMIT = 100
BOOK_ACTION = "mentorbot_choice_book"
CHECKIN_ACTION = "mentorbot_choice_checkin"


@dataclass(frozen=True)
class Viewer:
    app: App
    person: Person
    renderer: SlackRenderer

    def say(self, key: str, **params: object) -> str:
        return self.renderer.text(Text(key, params))


Section = Callable[[Viewer], list[Block]]


def student_path(viewer: Viewer) -> list[Block]:
    """The path the student follows and the contract with their mentor."""
    contract = viewer.app.core.views.contract(viewer.person.id)
    if contract is None:
        return [section(viewer.say("booking.no_mentorship"))]
    return [
        section(
            viewer.say(
                "slack.home.path",
                path=contract.path or "—",
                mentor=contract.mentor_name or "?",
                minutes=contract.session_minutes,
                per_week=contract.sessions_per_week,
            )
        )
    ]


def command_section(name: str, text: str = "") -> Section:
    """A section that is the core's own answer to a command, buttons included."""

    def section_for(viewer: Viewer) -> list[Block]:
        reply = viewer.app.core.run(viewer.person.id, name, text)
        return reply_blocks(reply, viewer.renderer)

    section_for.__name__ = f"{name}_section"
    return section_for


own_sessions = command_section("sessions")  # with its cancel and move buttons


def book_button(viewer: Viewer) -> list[Block]:
    label = viewer.say("slack.home.book")
    return [
        {
            "type": "actions",
            "elements": [button(label, encode(BookSession(None)), BOOK_ACTION, primary=True)],
        }
    ]


def student_checkin(viewer: Viewer) -> list[Block]:
    """This week's check-in: done, or a button that opens the form (nothing while paused)."""
    week = viewer.app.core.views.checkin_week(viewer.person)
    if week is None:
        return []
    if week.done:
        done = viewer.say(
            "slack.home.checkin_done", when=week.answered_at, confidence=week.confidence or "?"
        )
        return [section(done)]
    answer = button(
        viewer.say("choice.checkin"), encode(AnswerCheckin(None)), CHECKIN_ACTION, primary=True
    )
    return [
        section(viewer.say("slack.home.checkin_due")),
        {"type": "actions", "elements": [answer]},
    ]


def mentor_students(viewer: Viewer) -> list[Block]:
    """Each of the mentor's students: path, next session, last check-in, open alerts."""
    lines = [
        _student_line(viewer, line)
        for line in viewer.app.core.views.mentor_students(viewer.person.id)
    ]
    blocks = [header(viewer.say("slack.home.students"))]
    if not lines:
        return [*blocks, section(viewer.say("slack.home.no_students"))]
    return blocks + [section(line) for line in lines]


def _student_line(viewer: Viewer, line: StudentLine) -> str:
    params: dict[str, Any] = {"name": line.name, "path": line.path or "—"}
    if line.next_session is not None:
        first = viewer.say("slack.home.student", when=line.next_session, **params)
    else:
        first = viewer.say("slack.home.student_idle", **params)
    count = line.live_alerts
    alerts = Text("slack.home.alerts", {"count": count}) if count else Text("slack.home.no_alerts")
    checkin = _last_checkin(viewer, line.last_checkin)
    status = viewer.say("slack.home.student_status", checkin=checkin, alerts=alerts)
    return f"{first}\n{status}"


def _last_checkin(viewer: Viewer, last: CheckinWeek | None) -> Text:
    """The latest answered check-in: its day (in the reader's zone) and confidence."""
    if last is None or last.answered_at is None:
        return Text("slack.home.no_checkin")
    day = last.answered_at.astimezone(viewer.renderer.zone).date()
    return Text("slack.home.last_checkin", {"when": day, "confidence": last.confidence or "?"})


def advisor_overview(viewer: Viewer) -> list[Block]:
    """The programme now (the core's `/overview`: its size bounded, whatever the school's)."""
    return command_section("overview")(viewer)


def advisor_alerts(viewer: Viewer) -> list[Block]:
    """The alerts still open or acknowledged, with their buttons: the core's own `/alerts`."""
    return [header(viewer.say("slack.home.alerts_title")), *command_section("alerts")(viewer)]


SECTIONS: dict[Role, tuple[Section, ...]] = {
    Role.STUDENT: (student_path, student_checkin, own_sessions, book_button),
    Role.MENTOR: (mentor_students, own_sessions),
    Role.VALIDATOR: (own_sessions,),
    Role.ADVISOR: (advisor_overview, advisor_alerts),
}


class HomeTab:
    def __init__(self, app: App, identity: SlackIdentity) -> None:
        self.app = app
        self.identity = identity

    def view(self, user_id: str) -> dict[str, Any]:
        person = self.identity.person(user_id)
        if person is None:
            settings = self.app.settings
            renderer = SlackRenderer(settings.locale, settings.timezone)
            return _home([section(renderer.text(Text("link.unlinked")))])
        viewer = Viewer(self.app, person, SlackRenderer(person.locale, person.timezone))
        blocks = [header(viewer.say("slack.home.hello", name=person.name))]
        done: set[Section] = set()
        for role in Role:
            for make in SECTIONS[role] if person.has(role) else ():
                if make not in done:
                    done.add(make)
                    blocks += [{"type": "divider"}, *make(viewer)]
        blocks.append(section(viewer.say("slack.home.help")))
        return _home(blocks)

    def publish(self, client: WebClient, user_id: str) -> None:
        client.views_publish(user_id=user_id, view=self.view(user_id))


def _home(blocks: list[Block]) -> dict[str, Any]:
    return {"type": "home", "blocks": blocks[:HOME_BLOCK_LIMIT]}
