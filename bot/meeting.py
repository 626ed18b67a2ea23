"""The room a session is joined in: a host's own https URL, or one generated per session.

A mentor's (or validator's) own room is used for every session they host; without one, each
session gets a room of its own from the programme's template, whose `{token}` is random and
unguessable (a Jitsi room anyone can find is a room anyone can walk into).
"""

from __future__ import annotations

import secrets
import string
from urllib.parse import urlsplit

from bot.errors import UserError

MAX_LENGTH = 500
TOKEN = "token"
# RFC 3986's characters, no more: no spaces, quotes, angle brackets (Slack's `<!here>`) or controls.
URL_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-._~:/?#[]@!$&'()*+,;=%")


def room_problem(url: str) -> str | None:
    """Why `url` cannot be a meeting room (a catalogue key), or None when it can."""
    if len(url) > MAX_LENGTH:
        return "meeting.too_long"
    if not url or any(ch not in URL_CHARACTERS for ch in url):
        return "meeting.bad_url"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "meeting.bad_url"
    if parts.scheme.lower() != "https":
        return "meeting.not_https"
    if not parts.hostname or "." not in parts.hostname or parts.username or port == 0:
        return "meeting.bad_url"
    return None


def checked_room(url: str) -> str:
    """A person's own room, as typed (Slack wraps links in `<…>`), or a translated refusal."""
    url = url.strip().removeprefix("<").removesuffix(">").partition("|")[0]
    problem = room_problem(url)
    if problem is not None:
        raise UserError(problem, max=MAX_LENGTH)
    return url


def template_problem(template: str) -> str | None:
    """A programme template must be an https URL with `{token}` and no other placeholder."""
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError:
        return "has unbalanced braces"
    if fields != {TOKEN}:
        return "needs {token}, and no other placeholder (e.g. https://meet.jit.si/school-{token})"
    if room_problem(generated(template)) is not None:
        return "must be an https URL once {token} is filled in"
    return None


def generated(template: str) -> str:
    """A room of its own for one session: 96 random bits, URL-safe."""
    return template.format(token=secrets.token_urlsafe(12))


def join_url(own_room: str | None, template: str | None) -> str | None:
    """The host's own room, else a new one from the template, else none."""
    if own_room:
        return own_room
    return generated(template) if template else None
