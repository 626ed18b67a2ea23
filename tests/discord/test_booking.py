"""Booking through Discord: slash commands with options or buttons, and the mentor's DM."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from adapters.discord.render import DiscordRenderer
from bot.action_lines import command_line
from bot.i18n import Renderer
from bot.replies import Text
from tests.discord.conftest import (
    LEA,
    MENTOR,
    SAM,
    STRANGER,
    World,
    connected,
    delivering,
    discord_bot,
    run,
    serving,
)
from tests.discord.fake_discord import Call
from tests.discord.payloads import INTEGER, click, command, interaction, option

PARIS_FR = DiscordRenderer("fr", "Europe/Paris")
SLOT = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)  # Wednesday 14:00 in Paris


def buttons(message: dict) -> list[dict]:
    return [item for row in message["components"] for item in row["components"]]


def test_book_without_options_offers_buttons_and_a_click_books_and_dms_the_mentor(
    world: World,
) -> None:
    async def scenario() -> None:
        async with discord_bot(world) as bot, delivering(world, bot):
            offer = await bot.reply(interaction(2, command("book"), LEA))
            assert offer.json["content"] == PARIS_FR.text(
                Text("booking.pick_slot", {"minutes": 45})
            )
            first = buttons(offer.json)[0]
            assert first["custom_id"] == "mb:v1:bk:202611251300"  # BookSession(SLOT)
            assert first["label"] == Renderer("fr", "Europe/Paris").value(SLOT)

            pressed = interaction(3, click(first["custom_id"]), LEA, message=offer.response)
            booked = await bot.reply(pressed)
            assert booked.json["content"] == PARIS_FR.text(
                Text(
                    "booking.booked",
                    {"id": 1, "when": SLOT, "minutes": 45, "mentor": "Camille Martin"},
                )
            )
            assert f"<t:{int(SLOT.timestamp())}:F>" in booked.json["content"]

            # Messages to several people go out at once: the mentor's DM may open second.
            opened = await bot.fake.wait_for("POST", r"/users/@me/channels")
            if {"recipient_id": MENTOR[0]} not in [dm.json for dm in opened]:
                opened = await bot.fake.wait_for("POST", r"/users/@me/channels", count=2)
            assert {"recipient_id": MENTOR[0]} in [dm.json for dm in opened]
            channel = bot.fake.dm_channels[str(MENTOR[0])]
            [sent] = await bot.fake.wait_for("POST", rf"/channels/{channel}/messages")
            assert sent.json["content"] == PARIS_FR.text(
                Text("notify.session_booked", {"student": "Léa Dubois", "when": SLOT, "id": 1})
            )
            assert sent.json["allowed_mentions"]["parse"] == []
            assert sent.json["allowed_mentions"]["users"] == [MENTOR[0]]

    run(scenario())


def test_book_with_date_and_time_options_books_in_the_persons_zone(world: World) -> None:
    async def scenario() -> None:
        async with discord_bot(world) as bot:
            options = [option("date", "2026-11-25"), option("time", "08:00")]
            booked = await bot.reply(interaction(2, command("book", options), SAM, locale="en-US"))
            assert booked.json["content"] == DiscordRenderer("en", "America/Toronto").text(
                Text(
                    "booking.booked",
                    {"id": 1, "when": SLOT, "minutes": 30, "mentor": "Camille Martin"},
                )
            )
            assert "components" not in booked.json or not booked.json["components"]

    run(scenario())


def autocompleted(callback: Call) -> list[tuple[str, object]]:
    assert callback.json["type"] == 8
    return [(c["name"], c["value"]) for c in callback.json["data"]["choices"]]


def test_book_autocompletes_free_days_then_free_times_in_the_persons_zone(world: World) -> None:
    async def scenario() -> None:
        async with discord_bot(world) as bot:
            typing_date = command("book", [option("date", "", focused=True)])
            days = autocompleted(await bot.callback(interaction(4, typing_date, SAM)))
            toronto = Renderer("en", "America/Toronto")
            assert days[0] == (
                toronto.value(SLOT.astimezone(ZoneInfo("America/Toronto")).date()),
                "2026-11-25",
            )
            typing_time = command(
                "book", [option("date", "2026-11-25"), option("time", "", focused=True)]
            )
            times = autocompleted(await bot.callback(interaction(4, typing_time, SAM)))
            assert times[:3] == [("08:00", "08:00"), ("08:30", "08:30"), ("09:00", "09:00")]
            narrowed = command(
                "book", [option("date", "2026-11-25"), option("time", "09", focused=True)]
            )
            assert autocompleted(await bot.callback(interaction(4, narrowed, SAM))) == [
                ("09:00", "09:00"),
                ("09:30", "09:30"),
            ]
            nobody = autocompleted(await bot.callback(interaction(4, typing_date, STRANGER)))
            assert nobody == []

    run(scenario())


def test_a_persistent_button_works_on_a_freshly_built_client(world: World) -> None:
    """A restart: the button was sent by one client; another, built anew, handles the click."""

    async def scenario() -> None:
        async with serving(world.fake):
            async with connected(world) as before:
                offer = await before.reply(interaction(2, command("book"), LEA))
            async with connected(world) as after:
                custom_id = buttons(offer.json)[0]["custom_id"]
                pressed = interaction(3, click(custom_id), LEA, message=offer.response)
                booked = await after.reply(pressed)
                assert booked.json["content"].startswith(
                    PARIS_FR.text(
                        Text(
                            "booking.booked",
                            {"id": 1, "when": SLOT, "minutes": 45, "mentor": "Camille Martin"},
                        )
                    )
                )

    run(scenario())


def book_many(world: World, wanted: int) -> int:
    """Students book slot after slot (through the core) until the mentor has `wanted`."""
    count = 0
    for who in ("zoe", "lea", "sam"):
        while count < wanted and (choices := world.programme.ok(who, "/book").choices):
            world.programme.ok(who, command_line(choices[0].action))
            count += 1
    return count


def test_sessions_offer_cancel_and_move_and_too_many_become_select_menus(world: World) -> None:
    # A cancel and a move button per session: 13 sessions are too many for 25 buttons.
    assert book_many(world, 13) == 13

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            listing = await bot.reply(interaction(2, command("sessions"), MENTOR))
            menus = buttons(listing.json)
            assert [m["custom_id"] for m in menus] == ["mb:pick:0", "mb:pick:1"]
            assert all(m["type"] == 3 for m in menus)
            first = menus[0]["options"][0]
            assert first["value"] == "v1:cs:1"  # CancelSession(1)
            assert first["label"] == Renderer("fr", "Europe/Paris").text(
                Text("choice.cancel", {"id": 1})
            )
            picked = interaction(
                3, click("mb:pick:0", ["v1:cs:1"]), MENTOR, message=listing.response
            )
            cancelled = await bot.reply(picked)
            assert cancelled.json["content"].startswith(
                PARIS_FR.text(Text("cancel.done", {"id": 1, "when": SLOT}))[:12]
            )

    run(scenario())


def test_cancel_and_move_autocomplete_sessions_then_take_typed_options(world: World) -> None:
    world.programme.ok("lea", "/book 2026-11-25 14:00")

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            typing = command("move", [option("session", "", INTEGER, focused=True)])
            sessions = autocompleted(await bot.callback(interaction(4, typing, LEA)))
            label = Renderer("fr", "Europe/Paris").text(
                Text("choice.session", {"id": 1, "when": SLOT})
            )
            assert sessions == [(label, 1)]
            no_session_yet = command("move", [option("date", "", focused=True)])
            assert autocompleted(await bot.callback(interaction(4, no_session_yet, LEA))) == []
            typing_time = command(
                "move",
                [
                    option("session", 1, INTEGER),
                    option("date", "2026-11-25"),
                    option("time", "", focused=True),
                ],
            )
            times = autocompleted(await bot.callback(interaction(4, typing_time, LEA)))
            assert times[0] == ("14:45", "14:45")  # not 14:00, where the session already is
            new_time = command(
                "move",
                [
                    option("session", 1, INTEGER),
                    option("date", "2026-11-26"),
                    option("time", "09:00"),
                ],
            )
            moved = await bot.reply(interaction(2, new_time, LEA))
            later = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
            assert moved.json["content"] == PARIS_FR.text(
                Text("move.done", {"id": 1, "when": later})
            )
            cancel = command("cancel", [option("session", 1, INTEGER)])
            cancelled = await bot.reply(interaction(2, cancel, LEA))
            assert cancelled.json["content"] == PARIS_FR.text(
                Text("cancel.done", {"id": 1, "when": later})
            )

    run(scenario())
