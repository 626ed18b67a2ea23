"""The advisors' alert list on Discord: a page of alerts, each with its own labelled buttons,
a next-page button carrying the filters, both clicked through discord.py and the fake."""

from __future__ import annotations

from bot.replies import Text
from tests.discord.conftest import ADVISOR, World, discord_bot, run
from tests.discord.payloads import click, command, interaction, option
from tests.discord.test_booking import PARIS_FR, buttons

STUDENTS = ("lea", "sam", "zoe")
CATEGORIES = ("absence", "plagiat", "circonstances")


def nine_alerts(world: World) -> None:
    for student in STUDENTS:
        for category in CATEGORIES:
            world.programme.ok(
                "mentor", f"/escalate {category} {student}@school.example Un souci -- privé"
            )


def test_a_page_of_alerts_has_each_alerts_buttons_and_a_next_page(world: World) -> None:
    nine_alerts(world)

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            listing = command("alerts", [option("scope", "open")], subcommand="list")
            first = await bot.reply(interaction(2, listing, ADVISOR))
            content = first.json["content"]
            assert content.startswith(PARIS_FR.text(Text("alerts.page", PAGE_1)))
            assert len(content) <= 2000
            shown = [(b["label"], b["custom_id"]) for b in buttons(first.json)]
            assert shown[:3] == [
                ("Prendre en charge #9", "mb:v1:aa:9"),
                ("Résoudre #9", "mb:v1:ar:9"),
                ("Détails #9 (privé)", "mb:v1:ad:9"),
            ]
            assert shown[-1] == ("Page 2 →", "mb:v1:al:0:::::2")
            assert len(shown) == 7 * 3 + 1
            pressed = interaction(3, click("mb:v1:al:0:::::2"), ADVISOR, message=first.response)
            second = await bot.reply(pressed)
            assert second.json["content"].startswith(PARIS_FR.text(Text("alerts.page", PAGE_2)))
            assert [b["label"] for b in buttons(second.json)][-1] == "← Page 1"
            ack = interaction(3, click("mb:v1:aa:2"), ADVISOR, message=second.response)
            acked = await bot.reply(ack)
            assert acked.json["content"] == PARIS_FR.text(Text("alert.acknowledged", {"id": 2}))

    run(scenario())


PAGE_1 = {"first": 1, "last": 7, "total": 9}
PAGE_2 = {"first": 8, "last": 9, "total": 9}
