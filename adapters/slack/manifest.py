"""The Slack app manifest, generated: `mentorbot slack manifest > adapters/slack/manifest.yml`.

Its slash commands come from the registry (`bot.registry`): one per declared command, with its
English · French summary (`command.<name>.summary`), its usage hint, and `should_escape` when it
takes a person (Slack then sends a typed @name as `<@U123|name>`). The rest (scopes, events,
settings) is written here; a test checks the committed file is what this prints.
"""

from __future__ import annotations

from bot.i18n import catalogue
from bot.registry import REGISTRY, Spec

URL = "https://mentorbot.example.org/slack/events"
SUMMARY_LIMIT = 100  # Slack's limit for a slash command's description
HEADER = """\
# mentorbot — Slack app manifest. Paste it into https://api.slack.com/apps → "Create New App" →
# "From an app manifest" (see docs/slack.md).
#
# Generated: `mentorbot slack manifest > adapters/slack/manifest.yml` (the slash commands come
# from the command registry, bot/registry/; the rest from adapters/slack/manifest.py).
#
# HTTP mode: replace every https://mentorbot.example.org with your public URL (the path stays
# /slack/events: commands, buttons, forms and events all go there).
# Socket Mode: set socket_mode_enabled to true; the URLs are then ignored.
#
# should_escape: true only for the commands that take a PERSON: Slack then sends a typed
# @mention as <@U123|name>, the id mentorbot needs to find the person (typed emails arrive as
# <mailto:…> links, which mentorbot turns back into emails). Every other command takes dates,
# times, numbers or free text, so Slack passes it as typed. Either way mentorbot escapes
# whatever it echoes and never sets link_names, so an @channel typed by someone never pings.
#
# Descriptions are English · French (one manifest serves both); usage hints use the words the
# commands accept in both languages (present, absent, none, async…; /mentorbot help lists them).
_metadata:
  major_version: 2
  minor_version: 1

display_information:
  name: mentorbot
  description: Sessions, questions and alerts for your mentoring programme.
  background_color: "#1d4e89"

features:
  app_home:
    home_tab_enabled: true
    messages_tab_enabled: true
    messages_tab_read_only_enabled: false
  bot_user:
    display_name: mentorbot
    always_online: true
  slash_commands:
"""
FOOTER = f"""
oauth_config:
  scopes:
    bot:
      - commands # the slash commands above
      - chat:write # replies, DMs, the advisors channel (invite the bot there)
      - im:write # DMs: chat.postMessage to a person's user id
      - im:history # message.im: a DM to the bot is /ask
      - users:read # users.info
      - users:read.email # profile.email and users.lookupByEmail: link people by email
      - files:write # files_upload_v2: calendar invites (.ics) in the DM with their message

settings:
  event_subscriptions:
    request_url: {URL}
    bot_events:
      - app_home_opened
      - message.im
  interactivity:
    is_enabled: true
    request_url: {URL}
  org_deploy_enabled: false
  socket_mode_enabled: false
  token_rotation_enabled: false
"""


def manifest() -> str:
    commands = [slash_command(spec) for spec in REGISTRY if spec.slack]
    return HEADER + "".join(commands) + FOOTER


def slash_command(spec: Spec) -> str:
    lines = [
        f"    - command: /{spec.name}",
        f"      url: {URL}",
        f"      description: {_quoted(summary(spec))}",
    ]
    if spec.usage:
        lines.append(f"      usage_hint: {_quoted(spec.usage)}")
    lines.append(f"      should_escape: {'true' if spec.should_escape else 'false'}")
    return "\n".join(lines) + "\n"


def summary(spec: Spec) -> str:
    """`English · Français`; a command without a summary yet has its Discord description."""
    key = f"command.{spec.name}.summary"
    en, fr = catalogue("en"), catalogue("fr")
    if key in en and key in fr:
        return f"{en[key]} · {fr[key]}"[:SUMMARY_LIMIT]
    return en.get(f"discord.{spec.stem}.desc", f"/{spec.name}")[:SUMMARY_LIMIT]


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (descriptions hold `:` and `·`)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
