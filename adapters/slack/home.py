"""The App Home tab: what each person has coming, published when they open it.

Sections are looked up by role, so alerts (advisors, mentors) and check-ins (students) slot in
as one more function each in `SECTIONS`. Buttons here are the same choice buttons as anywhere
else: a click runs its command as the person, answers in their DM and republishes the tab.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from adapters.bootstrap import App
from adapters.slack.identity import SlackIdentity
from adapters.slack.render import Block, SlackRenderer, button, header, reply_blocks, section
from bot.domain import Person, Role
from bot.replies import Text

HOME_BLOCK_LIMIT = 100
BOOK_ACTION = "mentorbot_choice_book"
NEXT_SESSIONS_SCANNED = 20


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
    with viewer.app.database.uow() as uow:
        mentorship = uow.mentorships.for_student(viewer.person.id)
        mentor = uow.people.get(mentorship.mentor_id) if mentorship else None
    if mentorship is None:
        return [section(viewer.say("booking.no_mentorship"))]
    return [
        section(
            viewer.say(
                "slack.home.path",
                path=mentorship.path or "—",
                mentor=mentor.name if mentor else "?",
                minutes=mentorship.session_minutes,
                per_week=mentorship.sessions_per_week,
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
    return [{"type": "actions", "elements": [button(label, "/book", BOOK_ACTION, primary=True)]}]


def mentor_students(viewer: Viewer) -> list[Block]:
    """Each of the mentor's students, their path, and their next session with this mentor."""
    now = viewer.app.clock.now()
    lines: list[str] = []
    with viewer.app.database.uow() as uow:
        for mentorship in uow.mentorships.for_mentor(viewer.person.id):
            student = uow.people.get(mentorship.student_id)
            if student is None:
                continue
            upcoming = uow.sessions.upcoming(student.id, now, NEXT_SESSIONS_SCANNED)
            ahead = [s for s in upcoming if s.host_id == viewer.person.id and s.is_live]
            params: dict[str, Any] = {"name": student.name, "path": mentorship.path or "—"}
            if ahead:
                lines.append(viewer.say("slack.home.student", when=ahead[0].starts_at, **params))
            else:
                lines.append(viewer.say("slack.home.student_idle", **params))
    blocks = [header(viewer.say("slack.home.students"))]
    if not lines:
        return [*blocks, section(viewer.say("slack.home.no_students"))]
    return blocks + [section(line) for line in lines]


# Alerts (advisors, mentors) and check-ins (students) will be one more section each here,
# e.g. `Role.ADVISOR: (command_section("alerts"),)` once the core answers /alerts.
SECTIONS: dict[Role, tuple[Section, ...]] = {
    Role.STUDENT: (student_path, own_sessions, book_button),
    Role.MENTOR: (mentor_students, own_sessions),
    Role.VALIDATOR: (own_sessions,),
    Role.ADVISOR: (),
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
