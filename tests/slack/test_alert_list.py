"""The advisors' alert list on Slack: a page of alerts, each alert's buttons labelled with its
number, the next page a button carrying the filters; pressing a page's acknowledge button tells
the mentor who raised the alert, by DM. Through Bolt and the fake Slack."""

from __future__ import annotations

from bot import actions
from bot.commands import ListAlerts
from tests.slack.conftest import ADVISOR, MENTOR, Slack, buttons, said, texts

STUDENTS = ("lea", "sam", "zoe")
CATEGORIES = ("absence", "plagiat", "circonstances")
BLOCKS, TEXT = 50, 3000  # Slack's limits for a message


def nine_alerts(slack: Slack) -> None:
    for student in STUDENTS:
        for category in CATEGORIES:
            line = f"/escalate {category} {student}@school.example Un souci -- privé"
            slack.programme.ok("mentor", line)


def test_a_page_of_alerts_has_each_alerts_buttons_and_pages_on(sqlite_slack: Slack) -> None:
    slack = sqlite_slack
    nine_alerts(slack)
    first = slack.command(ADVISOR, "/alerts", "absence", name="list")
    assert texts(first)[0] == said("alerts.page", first=1, last=3, total=3)
    shown = [(b["text"]["text"], b["value"]) for b in buttons(first)]
    assert shown[:2] == [("Prendre en charge #7", "v1:aa:7"), ("Résoudre #7", "v1:ar:7")]
    assert len(first.args["blocks"]) <= BLOCKS
    assert all(len(t) <= TEXT for t in texts(first))

    everything = slack.command(ADVISOR, "/alerts", "", name="all")
    labels = [b["text"]["text"] for b in buttons(everything)]
    assert labels[-1] == "Page 2 →"
    assert actions.decode(buttons(everything)[-1]["value"]) == ListAlerts(page=2)
    second = slack.click(ADVISOR, buttons(everything)[-1]["value"], name="page2")
    assert texts(second)[0] == said("alerts.page", first=8, last=9, total=9)

    acked = slack.click(ADVISOR, "v1:aa:7", name="ack")
    assert texts(acked)[0] == said("alert.acknowledged", id=7)
    slack.worker().drain()
    told = [t for dm in slack.dms(MENTOR) for t in texts(dm)]
    assert any("#7" in t and "prise en charge par Nadia Benali" in t for t in told), told
    assert not any("privé" in t for t in told)
