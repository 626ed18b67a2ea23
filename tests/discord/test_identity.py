"""Who is acting: the roster's Discord ids, one-time link codes (typed or in a form), and the
advisors' buttons, refused to anyone who is not an advisor (roster role or Discord role)."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

from adapters.discord.deliver import DiscordDeliverer
from adapters.discord.render import DiscordRenderer
from bot import actions
from bot.domain import Notification
from bot.replies import Choice, Text
from tests.discord.conftest import (
    ADVISOR,
    LEA,
    MENTOR,
    STRANGER,
    ZOE,
    Bot,
    World,
    discord_bot,
    run,
)
from tests.discord.fake_discord import Call
from tests.discord.payloads import (
    ADVISOR_ROLE_ID,
    ADVISORS_CHANNEL_ID,
    USER,
    click,
    command,
    form,
    guild_create,
    interaction,
    member,
    option,
)
from tests.discord.test_booking import PARIS_FR, buttons

ENGLISH = DiscordRenderer("en", "Europe/Paris")


def code_for(world: World, who: str) -> str:
    reply = world.programme.ok(who, "/mentorbot link")
    return str(reply.lines[0].params["code"])


def test_an_unknown_account_is_told_to_link_and_types_its_code_in_a_form(world: World) -> None:
    async def scenario() -> None:
        async with discord_bot(world) as bot:
            told = await bot.reply(interaction(2, command("sessions"), ZOE, locale="en-GB"))
            assert told.json["content"] == ENGLISH.text(Text("link.unlinked"))
            [button] = buttons(told.json)
            assert button["custom_id"] == "mb:link-code"
            assert button["label"] == ENGLISH.text(Text("discord.enter_code"))

            pressed = interaction(
                3, click("mb:link-code"), ZOE, locale="en-GB", message=told.response
            )
            opened = await bot.callback(pressed)
            assert opened.json["type"] == 9  # a modal, at once: no deferral before a form
            assert opened.json["data"]["custom_id"] == "mb:form:link"
            assert opened.json["data"]["title"] == ENGLISH.text(Text("discord.code_form_title"))

            code = code_for(world, "zoe")
            submitted = interaction(5, form("mb:form:link", {"code": code}), ZOE, locale="en-GB")
            linked = await bot.reply(submitted)
            assert linked.json["content"] == ENGLISH.text(Text("link.done", {"name": "Zoé Petit"}))
            now_known = await bot.reply(interaction(2, command("sessions"), ZOE))
            assert now_known.json["content"] == PARIS_FR.text(Text("sessions.none"))

    run(scenario())


def test_a_code_typed_as_an_option_links_the_account_once(world: World) -> None:
    code = code_for(world, "zoe")
    link = command("mentorbot", [option("code", code)], subcommand="link")

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            linked = await bot.reply(interaction(2, link, ZOE))
            assert linked.json["content"] == PARIS_FR.text(Text("link.done", {"name": "Zoé Petit"}))
            again = await bot.reply(interaction(2, link, STRANGER))
            assert again.json["content"] == "⚠️ " + PARIS_FR.text(Text("link.bad_code"))
            known = await bot.reply(interaction(2, link, ZOE))
            assert known.json["content"] == "⚠️ " + PARIS_FR.text(
                Text("link.already", {"name": "Zoé Petit"})
            )

    run(scenario())


def test_an_advisor_gets_a_code_for_a_person_picked_with_the_user_option(world: World) -> None:
    def pick(who: tuple[int, str]) -> dict:
        resolved = {
            "users": {str(who[0]): member(*who)["user"]},
            "members": {str(who[0]): {k: v for k, v in member(*who).items() if k != "user"}},
        }
        options = [option("person", str(who[0]), USER)]
        return command("mentorbot", options, subcommand="link", resolved=resolved)

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            issued = await bot.reply(interaction(2, pick(LEA), ADVISOR))
            code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}", issued.json["content"])
            assert code is not None
            expires = world.clock.now() + timedelta(minutes=30)
            assert issued.json["content"] == PARIS_FR.text(
                Text("link.code", {"name": "Léa Dubois", "code": code[0], "expires": expires})
            )
            elsewhere = world.app.core.redeem_link_code("slack", "U0LEA2", code[0])
            assert elsewhere.lines[0].params["name"] == "Léa Dubois"
            unlinked = await bot.reply(interaction(2, pick(ZOE), ADVISOR))
            assert unlinked.json["content"] == "⚠️ " + PARIS_FR.text(
                Text("discord.person_unlinked", {"name": "zoe"})
            )

    run(scenario())


async def post_to_advisors(world: World, bot: Bot, line: str) -> Call:
    """A notification for the advisors channel with one button, delivered by the outbox."""
    with world.app.database.uow() as uow:
        uow.outbox.add(
            Notification(
                idempotency_key=f"test:{line}",
                recipient_id=None,
                key="link.unknown_email",
                params={"email": "sam@school.example"},
                choices=(Choice(Text("choice.move", {"id": 1}), actions.decode(line)),),
            ),
            world.app.clock.now(),
        )
        uow.commit()
    worker = world.app.outbox_worker(DiscordDeliverer(world.app, bot.client, timeout=10))
    assert await asyncio.to_thread(worker.drain) == 1
    [posted] = bot.fake.find("POST", rf"/channels/{ADVISORS_CHANNEL_ID}/messages")
    return posted


def test_a_student_pressing_an_advisors_button_is_refused(world: World) -> None:
    line = "v1:al:0"  # ListAlerts(): the advisors' own

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            posted = await post_to_advisors(world, bot, line)
            [button] = buttons(posted.json)
            assert button["custom_id"] == f"mba:{line}"
            assert posted.json["allowed_mentions"] == {"parse": []}

            by_student = interaction(3, click(button["custom_id"]), LEA, message=posted.response)
            refused = await bot.reply(by_student)
            assert refused.json["content"] == "⚠️ " + PARIS_FR.text(Text("error.not_allowed"))
            by_advisor = interaction(
                3, click(button["custom_id"]), ADVISOR, message=posted.response
            )
            issued = await bot.reply(by_advisor)
            assert issued.json["content"] == PARIS_FR.text(Text("alert.none"))

    run(scenario())


def test_the_discord_advisor_role_opens_advisor_buttons_to_linked_members_only(
    world: World,
) -> None:
    """The role is one more way to be let through to the core, never a way around linking."""

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            bot.feed("GUILD_CREATE", guild_create({ADVISOR_ROLE_ID: "Conseillers"}))
            posted = await post_to_advisors(world, bot, "v1:ls")
            custom_id = buttons(posted.json)[0]["custom_id"]

            def press(who: tuple[int, str], roles: tuple[int, ...] = ()) -> dict:
                return interaction(3, click(custom_id), who, roles=roles, message=posted.response)

            without_role = await bot.reply(press(MENTOR))
            assert without_role.json["content"] == "⚠️ " + PARIS_FR.text(Text("error.not_allowed"))
            with_role = await bot.reply(press(MENTOR, (ADVISOR_ROLE_ID,)))
            assert with_role.json["content"] == PARIS_FR.text(Text("sessions.none"))
            unlinked = await bot.reply(press(STRANGER, (ADVISOR_ROLE_ID,)))
            assert unlinked.json["content"] == PARIS_FR.text(Text("link.unlinked"))

    run(scenario())
