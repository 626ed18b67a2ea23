"""What a Slack payload must hold before Bolt or a listener reads it, read once into small values.

Bolt (building its context, matching listeners) and our listeners index into a payload the way
Slack shapes it. A signed payload shaped otherwise (`payload=null`, `actions` not a list, a view
without `state`) would raise deep inside: as a 500 with a traceback, or after the ack, which Bolt
then answers with a 404 three seconds later. Here each kind we listen to is read into a frozen
value, and anything else is `Malformed`: the HTTP host answers 400 at once, logged in one line,
and the listeners read the same values (so Socket Mode is covered by the error hook).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# The payload types Slack sends an app configured like ours; any other `type` is refused.
KNOWN_TYPES = frozenset(
    {
        "block_actions",
        "view_submission",
        "view_closed",
        "event_callback",
        "url_verification",
        "app_rate_limited",
    }
)
# Fields Bolt's context builder reads wherever they appear: a string, an object or nothing.
CONTEXT_FIELDS = ("team", "user", "channel", "enterprise", "item", "assistant_thread")
NESTED_FIELDS = ("event", "message", "previous_message", "view")  # objects, read the same way
LIST_FIELDS = ("authorizations", "response_urls")  # Bolt reads their first item as an object
URL_SCHEMES = ("https://", "http://")


class Malformed(ValueError):
    """A payload without a field Slack always sends, or with one of another type."""


def problem(body: object) -> str | None:
    """Why this parsed body must not reach Bolt (None: it may)."""
    try:
        check(body)
    except Malformed as error:
        return str(error)
    return None


def check(body: object) -> None:
    """Raise `Malformed` unless Bolt and our listeners can read `body` without raising."""
    payload = _object(body, "body")
    _context(payload, depth=0)
    kind = payload.get("type")
    if kind is None:
        if "command" in payload:
            SlashCommand.read(payload)
        return
    if not isinstance(kind, str) or kind not in KNOWN_TYPES:
        raise Malformed("unexpected payload type")
    reader = READERS.get(kind)
    if reader is not None:
        reader(payload)


def _context(payload: Mapping[str, Any], depth: int) -> None:
    for name in CONTEXT_FIELDS:
        if not isinstance(payload.get(name), str | dict | None):
            raise Malformed(f"{name} is neither a string nor an object")
    for name in NESTED_FIELDS:
        value = payload.get(name)
        if value is not None:
            if not isinstance(value, dict):
                raise Malformed(f"{name} is not an object")
            if depth < 2:
                _context(value, depth + 1)
    for name in LIST_FIELDS:
        items = payload.get(name)
        if items is None:
            continue
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise Malformed(f"{name} is not a list of objects")
        if items and depth < 2:
            _context(items[0], depth + 1)


def _object(value: object, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Malformed(f"{name} is not an object")
    return value


def _text(payload: Mapping[str, Any], name: str, *, default: str | None = None) -> str:
    """A string field; with `default`, absent or null is allowed."""
    value = payload.get(name)
    if value is None and default is not None:
        return default
    if not isinstance(value, str) or (default is None and not value):
        raise Malformed(f"{name} is missing or not a string")
    return value


def _url(payload: Mapping[str, Any], name: str, *, optional: bool = False) -> str | None:
    value = payload.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.startswith(URL_SCHEMES):
        raise Malformed(f"{name} is not a URL")
    return value


def _user_id(payload: Mapping[str, Any]) -> str:
    return _text(_object(payload.get("user"), "user"), "id")


@dataclass(frozen=True)
class SlashCommand:
    """`/name text`, typed by `user_id`; answered at `response_url`."""

    name: str  # without its slash, lower case
    text: str
    user_id: str
    response_url: str
    trigger_id: str

    @classmethod
    def read(cls, body: Mapping[str, Any]) -> SlashCommand:
        command = _text(body, "command")
        url = _url(body, "response_url")
        assert url is not None
        return cls(
            name=command.lstrip("/").lower(),
            text=_text(body, "text", default=""),
            user_id=_text(body, "user_id"),
            response_url=url,
            trigger_id=_text(body, "trigger_id"),
        )


@dataclass(frozen=True)
class Click:
    """A button pressed: the command line it carries, who pressed it and where it was."""

    user_id: str
    value: str
    trigger_id: str
    response_url: str | None
    container: Mapping[str, Any]  # {"type": "view"} in the App Home, a message otherwise
    message: Mapping[str, Any]  # the message holding the button, when Slack sends it back

    @property
    def in_view(self) -> bool:
        return self.container.get("type") == "view"

    @property
    def ephemeral(self) -> bool:
        return self.container.get("is_ephemeral") is True

    @classmethod
    def read(cls, body: Mapping[str, Any]) -> Click:
        actions = body.get("actions")
        if not isinstance(actions, list) or not actions:
            raise Malformed("actions is not a list")
        first = _object(actions[0], "action")
        for action in actions:
            _text(_object(action, "action"), "action_id")
            if not isinstance(action.get("block_id"), str | None):
                raise Malformed("block_id is not a string")
        return cls(
            user_id=_user_id(body),
            value=_text(first, "value", default=""),
            trigger_id=_text(body, "trigger_id"),
            response_url=_url(body, "response_url", optional=True),
            container=_object(body.get("container") or {}, "container"),
            message=_object(body.get("message") or {}, "message"),
        )


@dataclass(frozen=True)
class Submission:
    """A modal submitted: its callback id, its fields flattened, and our own metadata."""

    user_id: str
    callback_id: str
    values: Mapping[str, str]
    metadata: str
    state: Mapping[str, Any] = field(repr=False)

    @classmethod
    def read(cls, body: Mapping[str, Any]) -> Submission:
        view = _object(body.get("view"), "view")
        _text(view, "type")  # Bolt reads it (is it a workflow step?) before any listener
        state = _object(view.get("state"), "view.state")
        return cls(
            user_id=_user_id(body),
            callback_id=_text(view, "callback_id"),
            values=_values(_object(state.get("values", {}), "view.state.values")),
            metadata=_text(view, "private_metadata", default=""),
            state=state,
        )


def _values(blocks: Mapping[str, Any]) -> dict[str, str]:
    """Block id → the value whatever the element; blank (or only spaces) is absent."""
    values: dict[str, str] = {}
    for block_id, elements in blocks.items():
        for element in _object(elements, "view.state block").values():
            value = _element_value(_object(element, "view.state element"))
            if value.strip():
                values[block_id] = value.strip()
    return values


def _element_value(element: Mapping[str, Any]) -> str:
    selected = element.get("selected_option")
    candidates = (
        element.get("value"),
        selected.get("value") if isinstance(selected, dict) else None,
        element.get("selected_time"),
        element.get("selected_date"),
        element.get("selected_user"),
    )
    return next((c for c in candidates if isinstance(c, str) and c.strip()), "")


@dataclass(frozen=True)
class Event:
    """An Events API callback: the event itself (a message, the App Home opened…)."""

    event_id: str
    event: Mapping[str, Any]

    @classmethod
    def read(cls, body: Mapping[str, Any]) -> Event:
        event = _object(body.get("event"), "event")
        _text(event, "type")
        return cls(event_id=_text(body, "event_id"), event=event)


@dataclass(frozen=True)
class DirectMessageEvent:
    """A message someone wrote in their conversation with the bot."""

    user_id: str
    channel: str
    text: str

    @classmethod
    def read(cls, event: Mapping[str, Any]) -> DirectMessageEvent | None:
        """None for what is not a question: edits, bots, channels, an empty or odd message."""
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return None
        user, channel, text = (event.get(name) for name in ("user", "channel", "text"))
        if not (isinstance(user, str) and isinstance(channel, str) and isinstance(text, str)):
            return None
        if not (user and channel and text.strip()):
            return None
        return cls(user, channel, text)


READERS: dict[str, Callable[[Mapping[str, Any]], object]] = {
    "block_actions": Click.read,
    "view_submission": Submission.read,
    "event_callback": Event.read,
}
