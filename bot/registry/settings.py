"""Help and personal settings: `/mentorbot help|timezone|language|link`, and `/help`."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot import commands as c
from bot.errors import UserError
from bot.registry import calendars
from bot.registry.help import show_help
from bot.registry.model import Action, Help, Kind, Option, Spec
from bot.vocabulary import LANGUAGES


def _value(text: str) -> str | None:
    """The one word a setting takes (what follows it is ignored, as it always was)."""
    words = text.split()
    return words[0] if words else None


def _language(value: str | None) -> c.Command:
    return c.SetLanguage(value.lower() if value else None)


def _link(value: str | None) -> c.Command:
    """No value or an email: a code (for oneself, or an advisor's for that person); else a
    code to redeem."""
    if value is None or "@" in value:
        return c.IssueLinkCode(value)
    return c.RedeemLinkCode(value)


def _mentorbot(text: str, zone: ZoneInfo) -> c.Command:
    if text.strip():
        raise UserError("usage.mentorbot")
    return c.ShowHelp()


HELP = Action(
    "help",
    "mentorbot_help",
    lambda text, zone: c.ShowHelp(),
    lambda v: c.ShowHelp(),
    aliases=("aide",),
    handles={c.ShowHelp: show_help},
)
LINK = Action(
    "link",
    "mentorbot_link",
    lambda text, zone: _link(_value(text)),
    lambda v: _link(v.text("code")),
    (Option("code", Kind.TEXT), Option("person", Kind.PERSON)),
    ("lier",),
    {c.IssueLinkCode: "identity.issue_code", c.RedeemLinkCode: "identity.already_linked"},
)
SPECS = (
    Spec(
        "mentorbot",
        _mentorbot,
        actions=(
            HELP,
            Action(
                "language",
                "mentorbot_language",
                lambda text, zone: _language(_value(text)),
                lambda v: _language(v.text("language")),  # set_language refuses others
                (Option("language", Kind.CHOICE, vocabulary=LANGUAGES),),
                ("langue",),
                {c.SetLanguage: "preferences.set_language"},
            ),
            Action(
                "timezone",
                "mentorbot_timezone",
                lambda text, zone: c.SetTimezone(_value(text)),
                lambda v: c.SetTimezone(v.text("zone")),
                (Option("zone", Kind.TEXT, suggest="zones"),),
                ("fuseau",),
                {c.SetTimezone: "preferences.set_timezone"},
            ),
            LINK,
            *calendars.ACTIONS,
        ),
        help=(*calendars.HELP, Help("help.settings"), Help("help.link")),
        usage="help · timezone ZONE · language fr|en · link [CODE] · meeting [URL|off] · calendar",
        escape=False,  # link takes an email on Slack: an escaped one would come as a mailto link
    ),
    Spec("help", lambda text, zone: c.ShowHelp(), slack=False),
)
