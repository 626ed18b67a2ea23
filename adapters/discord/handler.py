"""One path for everything people do on Discord: translate → core → render → answer.

Slash commands, button and menu clicks, the link-code form and direct messages all end here.
Whatever touches the database defers first (Discord allows 3 seconds), runs the synchronous core
on a worker thread so the event loop never blocks, renders the reply for its reader and wakes
the outbox, which may now have something to deliver.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import discord

from adapters.bootstrap import App
from adapters.discord import forms, render, views
from adapters.discord.dedupe import Seen, message_key
from adapters.discord.identity import PLATFORM, IdentityCache, has_role
from bot import actions
from bot.commands import Command
from bot.domain import Person, Role
from bot.i18n import Renderer, normalise_locale
from bot.replies import Reply, Text

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]
Work = Callable[[int], Reply]  # the core call, given the person's id
Send = Callable[[str, discord.ui.View | None], Awaitable[None]]
User = discord.User | discord.Member
TOLD_TO_LINK = Reply.say("link.unlinked")  # the core's answer to a stranger: offer the code form


@dataclass(frozen=True)
class Outcome:
    reply: Reply
    person: Person | None  # None: the account is not linked (or the person is gone)
    offer_link: bool = False  # show the "enter a link code" button


def _nothing() -> None:
    pass


class Handler:
    def __init__(self, app: App, *, wake: Callable[[], None] | None = None) -> None:
        self.app = app
        self.core = app.core
        self.identities = IdentityCache(app.core)
        self.advisor_role_id = app.settings.discord_advisor_role_id
        self.wake: Callable[[], None] = wake or _nothing
        self.seen = Seen(app.core.processed)

    async def command(self, interaction: Interaction, name: str, text: str = "") -> None:
        """A slash command whose typed options are already joined into the text the core parses."""
        await self._interaction(
            interaction, lambda pid: self.core.run(pid, name, text.strip(), platform=PLATFORM)
        )

    async def typed(
        self, interaction: Interaction, command: Command | Callable[[], Command]
    ) -> None:
        """A slash command whose typed options became a command object: nothing is joined
        into text and parsed again, so free text arrives as typed."""
        await self._interaction(
            interaction, lambda pid: self.core.handle(pid, command, platform=PLATFORM)
        )

    async def options(self, interaction: Interaction, build: Callable[[ZoneInfo], Command]) -> None:
        """A slash command's typed options, made a command by the registry's builder in the
        person's zone (their dates and times): nothing is joined into text and parsed again."""
        await self._interaction(
            interaction, lambda pid: self.core.invoke(pid, build, platform=PLATFORM)
        )

    @property
    def zone(self) -> ZoneInfo:
        """The programme's zone: enough to read options that hold no date (autocomplete)."""
        return ZoneInfo(self.app.settings.timezone)

    async def choice(self, interaction: Interaction, value: str, *, advisors: bool) -> None:
        """A button or menu: its action runs as whoever clicked, unless it lacks the text a
        form asks for (a reply without its answer). The core reads the value, and refuses one
        it cannot read ("no longer valid")."""
        opening = forms.for_action(actions.read(value))
        if opening is not None:
            await self.form(interaction, opening, advisors=advisors)
            return
        await self._act(interaction, lambda: actions.decode(value), advisors=advisors)

    async def form(
        self,
        interaction: Interaction,
        opening: forms.Opening,
        *,
        advisors: bool = False,
        prefill: forms.Checkin | None = None,
    ) -> None:
        """Open the form, in the person's language. A form must be the first answer (no
        deferral), so only the account is checked first: linked, and let through to the
        advisors' buttons; otherwise the bare action runs and the core says why not."""
        try:
            person_id = await self.identities.person_id(interaction.user.id)
            person = await asyncio.to_thread(self.core.person, person_id) if person_id else None
        except Exception:
            log.exception("Discord interaction %s failed before its form", interaction.id)
            await self.apologise(interaction)
            return
        if person is None or (advisors and not self._advisor(interaction.user, person)):
            await self._act(interaction, opening.action(), advisors=advisors)
            return
        labels = Renderer(person.locale, person.timezone)
        await forms.send(
            interaction, forms.modal(opening, labels, advisors=advisors, prefill=prefill)
        )

    async def form_submitted(
        self, interaction: Interaction, opening: forms.Opening, *, advisors: bool
    ) -> None:
        """A form's submission: the command it completes runs, with what was typed as typed
        (never another form: a submission cannot be answered with one)."""
        command = forms.submitted(opening, interaction.data)
        await self._act(interaction, command, advisors=advisors)

    async def _act(
        self, interaction: Interaction, command: Command | Callable[[], Command], *, advisors: bool
    ) -> None:
        """A button's action or a form's command, as whoever clicked."""
        await self._interaction(
            interaction,
            lambda pid: self.core.handle(pid, command, platform=PLATFORM),
            advisors_only=advisors,
        )

    async def link(self, interaction: Interaction, code: str | None, user: User | None) -> None:
        """`/mentorbot link`: an unknown account redeems a code; a known one gets a code (for
        itself, or, for an advisor, for the person chosen with the user option)."""
        chosen = (user.id, user.display_name) if user is not None else None
        argument = (code or "").strip()

        def work(person_id: int) -> Reply:
            target = argument
            if chosen is not None:
                person = self.core.identify(PLATFORM, str(chosen[0]))
                if person is None:
                    return Reply.error("discord.person_unlinked", {"name": chosen[1]})
                target = person.email
            return self.core.run(person_id, "mentorbot", f"link {target}".strip())

        redeem = None
        if chosen is None:  # what a stranger may do with it is the core's rule
            account, line = str(interaction.user.id), f"link {argument}".strip()
            redeem = lambda: self.core.run_unlinked(PLATFORM, account, "mentorbot", line)  # noqa: E731
        await self._interaction(interaction, work, unlinked=redeem)

    async def open_link_form(self, interaction: Interaction) -> None:
        """The link-code form. Answered at once: a form cannot follow a deferral."""
        labels = Renderer(self._locale(interaction), self.app.settings.timezone)
        form = views.link_form(
            labels.text(Text("discord.code_form_title")),
            labels.text(Text("discord.code_form_label")),
        )
        await forms.send(interaction, form)

    async def link_form_submitted(self, interaction: Interaction) -> None:
        code = views.submitted_value(interaction.data, views.LINK_FIELD).strip()
        account = str(interaction.user.id)
        await self._interaction(
            interaction,
            lambda pid: self.core.run(pid, "mentorbot", f"link {code}".strip()),
            unlinked=lambda: self.core.redeem_link_code(PLATFORM, account, code),
        )

    async def direct_message(self, message: discord.Message) -> None:
        """A direct message to the bot is `/ask`, the message being the question; once per
        message id, though a RESUME replay or a second replica delivers it again."""
        text = message.content.strip()
        if not text:
            return
        try:
            if not await asyncio.to_thread(self.seen.first_time, message_key(message.id)):
                log.info("direct message %s already handled: skipped", message.id)
                return
            outcome = await self._outcome(
                message.author, lambda pid: self.core.run(pid, "ask", text)
            )
            locale, zone = self._reader(None, outcome.person)

            async def send(content: str, view: discord.ui.View | None) -> None:
                if view is None:
                    await message.channel.send(content)
                else:
                    await message.channel.send(content, view=view)

            await self._send(send, outcome, locale, zone)
        except Exception:
            log.exception("direct message %s failed", message.id)
            await self._apologise_dm(message)
        finally:
            self.wake()

    async def suggestions(
        self, interaction: Interaction, offer: Command
    ) -> tuple[Reply, Person] | None:
        """The core's choices for a command without its last arguments, for autocomplete
        (which cannot defer). Only ever called with commands that offer choices and change
        nothing (`BookSession(None)`, `CancelSession(None)`)."""
        person_id = await self.identities.person_id(interaction.user.id)
        if person_id is None:
            return None
        work: Work = lambda pid: self.core.handle(pid, offer, platform=PLATFORM)  # noqa: E731
        reply, person = await asyncio.to_thread(self._run, work, person_id)
        if person is None or reply.is_error:
            return None
        return reply, person

    async def apologise(self, interaction: Interaction) -> None:
        """The short apology for a failure that is ours; its traceback has been logged."""
        text = Renderer(self._locale(interaction), self.app.settings.timezone).text(
            Text("error.internal")
        )
        try:
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True)
            else:
                await interaction.response.send_message(text, ephemeral=True)
        except discord.HTTPException:
            log.warning("could not apologise for interaction %s", interaction.id)

    async def stale(self, interaction: Interaction, key: str = "discord.stale_interaction") -> None:
        """A click, form or command this release does not know (an older release's id, a
        forged one, a command changed since the last sync): a short note rather than Discord's
        "This interaction failed". Nothing is looked up, so it is answered well within 3 s."""
        if interaction.type is discord.InteractionType.autocomplete:
            await self._no_suggestions(interaction)
            return
        text = Renderer(self._locale(interaction), self.app.settings.timezone).text(Text(key))
        try:
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True)
            else:
                await interaction.response.send_message(text, ephemeral=True)
        except discord.HTTPException:
            log.warning("could not answer stale interaction %s", interaction.id)

    async def _no_suggestions(self, interaction: Interaction) -> None:
        try:
            if not interaction.response.is_done():
                await interaction.response.autocomplete([])
        except discord.HTTPException:
            log.warning("could not answer stale autocomplete %s", interaction.id)

    async def _interaction(
        self,
        interaction: Interaction,
        work: Work,
        *,
        unlinked: Callable[[], Reply] | None = None,
        advisors_only: bool = False,
    ) -> None:
        started = time.perf_counter()
        await interaction.response.defer(ephemeral=True, thinking=True)
        self.app.metrics.acked("discord", time.perf_counter() - started)
        try:
            outcome = await self._outcome(interaction.user, work, unlinked, advisors_only)
            locale, zone = self._reader(interaction, outcome.person)

            async def send(content: str, view: discord.ui.View | None) -> None:
                if view is None:
                    await interaction.followup.send(content, ephemeral=True)
                else:
                    await interaction.followup.send(content, ephemeral=True, view=view)

            await self._send(send, outcome, locale, zone)
        except Exception:
            log.exception("Discord interaction %s failed", interaction.id)
            await self.apologise(interaction)
        finally:
            self.wake()

    async def _outcome(
        self,
        user: User,
        work: Work,
        unlinked: Callable[[], Reply] | None = None,
        advisors_only: bool = False,
    ) -> Outcome:
        person_id = await self.identities.person_id(user.id)
        if person_id is None:
            # What a stranger may do is the core's one rule (Core.run_unlinked), asked here too.
            stranger = lambda: self.core.run_unlinked(PLATFORM, str(user.id), "")  # noqa: E731
            told = await asyncio.to_thread(unlinked or stranger)
            return Outcome(told, None, offer_link=told == TOLD_TO_LINK)
        if advisors_only:
            person = await asyncio.to_thread(self.core.person, person_id)
            if person is None or not self._advisor(user, person):
                return Outcome(Reply.error("error.not_allowed", {}), person)
        reply, person = await asyncio.to_thread(self._run, work, person_id)
        return Outcome(reply, person)

    def _advisor(self, user: User, person: Person) -> bool:
        """Who may press the advisors channel's buttons: the Discord role, or the roster's."""
        return has_role(user, self.advisor_role_id) or person.has(Role.ADVISOR)

    def _run(self, work: Work, person_id: int) -> tuple[Reply, Person | None]:
        """The core call, then the person as it now is (a command may change their language)."""
        reply = work(person_id)
        return reply, self.core.person(person_id)

    async def _send(self, send: Send, outcome: Outcome, locale: str, zone: str) -> None:
        text, labels = render.renderers(locale, zone)
        if outcome.offer_link:
            view: discord.ui.View | None = render.link_view(labels)
        else:
            view = render.choices_view(outcome.reply.choices, labels)
        chunks = render.contents(outcome.reply, text)
        for number, chunk in enumerate(chunks, start=1):
            await send(chunk, view if number == len(chunks) else None)

    def _reader(self, interaction: Interaction | None, person: Person | None) -> tuple[str, str]:
        """Whose language and zone: the person's, else the Discord client's language."""
        if person is not None:
            return person.locale, person.timezone
        return self._locale(interaction), self.app.settings.timezone

    def _locale(self, interaction: Interaction | None) -> str:
        """An unlinked reader's language: their Discord client's, else the programme's."""
        discord_locale = interaction.locale.value if interaction is not None else None
        return normalise_locale(discord_locale, self.app.settings.locale)

    async def _apologise_dm(self, message: discord.Message) -> None:
        settings = self.app.settings
        text = Renderer(settings.locale, settings.timezone).text(Text("error.internal"))
        try:
            await message.channel.send(text)
        except discord.HTTPException:
            log.warning("could not apologise for direct message %s", message.id)
