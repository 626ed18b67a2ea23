"""The App Home tab: each person's own view, published when they open it, and its buttons."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from adapters.slack.render import SlackRenderer, line_texts
from bot.clock import ManualClock
from bot.replies import Text
from tests.slack.conftest import ADVISOR, LEA, MENTOR, Slack, buttons, said, texts
from tests.slack.payloads import block_action, event_callback, home_opened
from tests.slack.test_checkin import answers

MONDAY = date(2026, 11, 23)


def home(slack: Slack, user: str, count: int = 1) -> dict[str, Any]:
    """Open the Home tab as `user`; returns the `count`-th view published."""
    slack.http.events(event_callback(home_opened(user), f"Ev0HOME{user}{count}"))
    published = slack.fake.wait_for("views.publish", count)[-1]
    assert published.args["user_id"] == user
    view: dict[str, Any] = published.args["view"]
    assert view["type"] == "home"
    return view


def shown(view: dict[str, Any]) -> list[str]:
    return [str(b["text"]["text"]) for b in view["blocks"] if isinstance(b.get("text"), dict)]


def values(view: dict[str, Any]) -> list[str]:
    return [e["value"] for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]


def status(checkin: Text, alerts: Text) -> str:
    return said("slack.home.student_status", checkin=checkin, alerts=alerts)


def test_the_app_home_shows_a_student_their_path_checkin_sessions_and_a_book_button(
    slack: Slack,
) -> None:
    slack.programme.ok("lea", "/book 2026-11-26 09:00")
    view = home(slack, LEA)
    lines = shown(view)
    assert said("slack.home.hello", name="Léa Dubois") in lines
    path = said("slack.home.path", path="Web", mentor="Camille Martin", minutes=45, per_week=1)
    assert path in lines
    assert said("slack.home.checkin_due") in lines
    assert said("sessions.title") in lines
    assert values(view) == ["v1:ci", "v1:cs:1", "v1:mv:1", "v1:bk"]  # check-in, cancel…


def test_the_homes_checkin_button_opens_the_form_and_the_tab_then_shows_it_done(
    slack: Slack, clock: ManualClock
) -> None:
    home(slack, LEA)
    pressed = block_action(LEA, "v1:ci", action_id="mentorbot_choice_checkin")
    assert slack.http.interaction(pressed).status == 200
    [opened] = slack.fake.wait_for("views.open")
    assert json.loads(opened.args["view"]["private_metadata"]) == {"args": [], "home": True}
    assert slack.submit(LEA, opened, answers("API finie", "3", "", "Tests")).body == ""
    [thanks] = slack.fake.wait_for("chat.postMessage")  # no response_url: in Léa's DM
    assert thanks.args["channel"] == LEA
    assert texts(thanks) == [said("checkin.thanks", goal="Tests")]
    refreshed = slack.fake.wait_for("views.publish", 2)[-1].args["view"]
    assert said("slack.home.checkin_done", when=clock.now(), confidence=3) in shown(refreshed)
    assert "v1:ci" not in values(refreshed)


def test_the_app_home_shows_a_mentor_each_students_session_checkin_and_open_alerts(
    slack: Slack,
) -> None:
    slack.programme.ok("lea", "/book 2026-11-26 09:00")
    slack.programme.ok("lea", "/checkin 4 API finie | aucun | tests")
    slack.programme.ok("mentor", "/escalate absence lea@school.example Absente jeudi")
    slack.programme.ok("advisor", "/alerts ack 1")  # acknowledged is still open
    lines = shown(home(slack, MENTOR))
    assert said("slack.home.students") in lines
    when = slack.programme.run("lea", "/sessions").lines[1].params["when"]
    lea = said("slack.home.student", name="Léa Dubois", path="Web", when=when)
    checkin = Text("slack.home.last_checkin", {"when": MONDAY, "confidence": 4})
    assert f"{lea}\n{status(checkin, Text('slack.home.alerts', {'count': 1}))}" in lines
    sam = said("slack.home.student_idle", name="Sam Taylor", path="Data")
    nothing = status(Text("slack.home.no_checkin"), Text("slack.home.no_alerts"))
    assert f"{sam}\n{nothing}" in lines


def test_the_app_home_shows_the_advisors_the_alerts_with_their_buttons(
    sqlite_slack: Slack,
) -> None:
    slack = sqlite_slack
    slack.programme.ok("mentor", "/escalate absence lea@school.example Absente jeudi")
    view = home(slack, ADVISOR)
    listing = slack.programme.ok("advisor", "/alerts")
    lines = shown(view)
    assert said("slack.home.alerts_title") in lines
    assert line_texts(listing, SlackRenderer("fr", "Europe/Paris"))[0] in lines
    assert values(view) == ["v1:aa:1", "v1:ar:1"]


def test_a_home_button_answers_by_dm_and_refreshes_the_tab(slack: Slack) -> None:
    clicked = block_action(LEA, "v1:bk", action_id="mentorbot_choice_book", response_url=None)
    assert slack.http.interaction(clicked).status == 200
    [dm] = slack.fake.wait_for("chat.postMessage")
    assert dm.args["channel"] == LEA
    assert texts(dm)[0] == said("booking.pick_slot", minutes=45)
    assert len(buttons(dm)) == 8 + 1  # a page of slots and "more"
    slack.fake.wait_for("views.publish")
