"""Fuzzing the Slack surface: signed requests over HTTP to the real Bolt app.

Generation starts from Slack's own payload shapes (tests/slack/payloads.py): slash commands,
`block_actions`, `view_submission` and `event_callback`, filled with hostile text (special
mentions, escapes, control characters, foreign digits) and then mutated (a field dropped, or
replaced by any JSON value). Whatever arrives: no error is logged, every request is answered
within Slack's 3 seconds, and nothing the bot sends contains a mention that would ping.
`--fuzz` draws 50,000 examples instead of 2,000.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.slack.app import build_slack_app
from adapters.slack.forms import FORMS
from adapters.slack.render import SlackRenderer
from adapters.slack.server import SlackHTTPServer, start_http
from adapters.slack.targets import Background
from bot.parsing import command_names
from tests import hostile
from tests.conftest import Programme
from tests.slack import payloads
from tests.slack.conftest import ADVISOR, LEA, MENTOR, SAM, SECRET, slack_app
from tests.slack.fake_slack import BOT_USER, Call, FakeSlack

RENDERER = SlackRenderer("fr", "Europe/Paris")
ACK_LIMIT = 3.0  # seconds: Slack shows an error to the person after that
PINGS = ("<!channel>", "<!here>", "<!everyone>", "<!subteam^")
SENT = ("chat.postMessage", "chat.postEphemeral", "chat.update", "views.publish")
ANSWERED = (200, 400, 404)  # 404: Bolt has no listener for it (an unknown action or view)

USERS = st.sampled_from([LEA, SAM, MENTOR, ADVISOR, "U0STRANGER", BOT_USER])
COMMANDS = sorted({*command_names(), "mentorbot", "reply", "alerts"})
FRAGMENTS = st.sampled_from(
    [
        *hostile.TEXT,
        "<!here>",
        "<!everyone>",
        "<!subteam^S0TEAM|@mentors>",
        "&lt;!channel&gt;",
        "&lt;!here|here&gt;",
        "<@U0LEA|lea>",
        "<@U0MENTOR>",
        "<#C0GENERAL|general>",
        "<mailto:sam@school.example|sam@school.example>",
        "sam@school.example",
        "&amp;",
        "\x1b[31m",
        "fri",
        "plagiat",
        "link",
        "language",
        "timezone",
        "add",
        "off",
        "resolve",
    ]
)
HOSTILE = st.lists(st.one_of(FRAGMENTS, st.text(max_size=10)), max_size=4).map(" ".join)
SCALARS = st.none() | st.booleans() | st.integers() | HOSTILE
JSON_VALUES = (
    SCALARS | st.lists(SCALARS, max_size=2) | st.dictionaries(HOSTILE, SCALARS, max_size=2)
)
# Buttons' encoded actions (bot.actions): ours, altered ones and forged ones.
ACTIONS = st.one_of(
    st.sampled_from(["v1:cs:1", "v1:rq:1", "v1:ar:1", "v1:ci", "v1:aa:x", "v9:aa:1", "v1:zz"]),
    st.sampled_from(["v1:mv:1:999999999999", "v1:bk:20261125130", "v1:rt:1:nobody", "v1:at:1:x"]),
    HOSTILE.map(lambda text: f"v1:{text}"),
)
LINES = st.one_of(
    ACTIONS,
    st.sampled_from(
        [
            "/sessions",
            "/book",
            "/cancel 1",
            "/reply 1",
            "/checkin",
            "/alerts resolve 1",
            "/availability add",
            "/availability off",
            "/escalate",
            "/mentorbot help",
        ]
    ),
    st.tuples(st.sampled_from(COMMANDS), HOSTILE).map(lambda t: f"/{t[0]} {t[1]}"),
    HOSTILE,
)
ACTION_IDS = st.sampled_from(
    ["mentorbot_choice_0", "mentorbot_choice_extra_1", "mentorbot_choice_book", "other"]
)
COMMAND_NAMES = st.sampled_from(COMMANDS) | st.text(max_size=8)
FORM_NAMES = st.sampled_from(sorted(FORMS)) | st.text(max_size=8)
BLOCK_IDS = st.sampled_from(
    [block["block_id"] for form in FORMS.values() for block in form.inputs(RENDERER)]
)
ELEMENT_KINDS = st.sampled_from(
    ["plain_text_input", "static_select", "timepicker", "datepicker", "users_select"]
)
FIELD_VALUES = HOSTILE | st.sampled_from(["1", "fri", "14:00", "2026-12-01", LEA])
EVENT_KINDS = st.sampled_from(["dm", "dm", "home", "other"])
MUTATIONS = st.sampled_from(["as is", "as is", "drop", "replace"])
DM_FIELDS = st.sampled_from(["subtype", "bot_id", "channel_type"])
_event_ids = itertools.count(1)


def paths(node: object, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a JSON document a mutation can hit."""
    if isinstance(node, dict):
        items: Any = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return
    for key, child in items:
        yield (*prefix, key)
        yield from paths(child, (*prefix, key))


@st.composite
def mutated(draw: st.DrawFn, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as Slack sends it (most of the time), or with one node dropped or replaced."""
    how = draw(MUTATIONS)
    places = list(paths(payload))
    if how == "as is" or not places:
        return payload
    copy = json.loads(json.dumps(payload))
    *parents, last = draw(st.sampled_from(places))
    node = copy
    for key in parents:
        node = node[key]
    if how == "drop":
        node.pop(last)
    else:
        node[last] = draw(JSON_VALUES)
    return copy


@st.composite
def slash_commands(draw: st.DrawFn, url: str) -> tuple[str, Any]:
    command = draw(COMMAND_NAMES)
    fields = payloads.slash_command(draw(USERS), f"/{command}", draw(HOSTILE), url)
    if draw(st.booleans()):
        field = draw(st.sampled_from(sorted(fields)))
        if draw(st.booleans()):
            fields.pop(field)
        else:
            fields[field] = draw(HOSTILE)
    return "form", fields


@st.composite
def clicks(draw: st.DrawFn, url: str) -> tuple[str, Any]:
    in_message = draw(st.booleans())
    message = None
    if in_message and draw(st.booleans()):
        text = {"type": "mrkdwn", "text": draw(HOSTILE)}
        message = {"text": draw(HOSTILE), "blocks": [{"type": "section", "text": text}]}
    payload = payloads.block_action(
        draw(USERS),
        draw(LINES),
        action_id=draw(ACTION_IDS),
        response_url=url if in_message else None,
        ephemeral=draw(st.booleans()),
        message=message,
    )
    return "interaction", draw(mutated(payload))


def _element(block_id: str, value: str, kind: str) -> dict[str, Any]:
    shapes = {
        "plain_text_input": {"value": value},
        "static_select": {"selected_option": {"value": value}},
        "timepicker": {"selected_time": value},
        "datepicker": {"selected_date": value},
        "users_select": {"selected_user": value},
    }
    return {block_id: {"type": kind, **shapes[kind]}}


@st.composite
def submissions(draw: st.DrawFn, url: str) -> tuple[str, Any]:
    name = draw(FORM_NAMES)
    values = {
        block_id: _element(block_id, draw(FIELD_VALUES), kind)
        for block_id, kind in draw(st.dictionaries(BLOCK_IDS, ELEMENT_KINDS, max_size=5)).items()
    }
    metadata = {"args": draw(st.lists(HOSTILE, max_size=2)), "home": draw(st.booleans())}
    if draw(st.booleans()):
        metadata["response_url"] = url
    private = json.dumps(metadata) if draw(st.booleans()) else draw(HOSTILE)
    user = draw(USERS)
    payload = payloads.view_submission(user, f"mentorbot_form_{name}", values, private)
    return "interaction", draw(mutated(payload))


@st.composite
def events(draw: st.DrawFn) -> tuple[str, Any]:
    user = draw(USERS)
    kind = draw(EVENT_KINDS)
    event: dict[str, Any] = {
        "dm": lambda: payloads.direct_message(user, "x"),
        "home": lambda: payloads.home_opened(user),
        "other": lambda: {"type": "reaction_added", "user": user},
    }[kind]()
    if event["type"] == "message":
        event["text"] = draw(HOSTILE)
        if draw(st.booleans()):
            event[draw(DM_FIELDS)] = draw(HOSTILE)
    payload = payloads.event_callback(event, f"Ev0FUZZ{next(_event_ids)}")
    return "events", draw(mutated(payload))


def requests(url: str) -> st.SearchStrategy[tuple[str, Any]]:
    return st.one_of(slash_commands(url), clicks(url), submissions(url), events())


class Errors(logging.Handler):
    """Every record at ERROR or above, from any thread."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def served(programme: Programme, fake: FakeSlack) -> Iterator[tuple[SlackHTTPServer, Background]]:
    """One app, one server and one pool for every example, as in production."""
    background = Background(4)
    bolt = build_slack_app(slack_app(programme, fake), background=background)
    server = start_http(bolt)
    try:
        yield server, background
    finally:
        server.shutdown()
        server.server_close()
        background.shutdown()


def pings(call: Call) -> list[str]:
    """Texts in what the bot sent that Slack would turn into a channel-wide notification."""
    found: list[str] = []

    def walk(node: object, key: str = "") -> None:
        if isinstance(node, dict):
            for child_key, child in node.items():
                walk(child, str(child_key))
        elif isinstance(node, list):
            for child in node:
                walk(child, key)
        elif isinstance(node, str) and key == "text" and any(p in node for p in PINGS):
            found.append(node)

    walk(call.args)
    if "link_names" in call.args or call.args.get("parse") == "full":
        found.append(f"{call.method} with link_names or parse=full")
    return found


def test_signed_slack_requests_never_crash_stall_or_ping(
    sqlite_programme: Programme, fake_slack: FakeSlack, fuzz_examples: int
) -> None:
    errors = Errors()
    logging.getLogger().addHandler(errors)
    url = fake_slack.response_url("fuzz")
    slow: list[tuple[float, Any]] = []
    refused: list[tuple[int, Any]] = []
    try:
        with served(sqlite_programme, fake_slack) as (server, _background):
            http = payloads.SignedClient(f"{server.url}/slack/events", SECRET)
            send = {"form": http.form, "interaction": http.interaction, "events": http.events}

            @settings(
                max_examples=fuzz_examples,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(request=requests(url))
            def probe(request: tuple[str, Any]) -> None:
                kind, payload = request
                answer = send[kind](payload)
                if answer.seconds >= ACK_LIMIT:
                    slow.append((answer.seconds, payload))
                if answer.status not in ANSWERED:
                    refused.append((answer.status, payload))
                assert not errors.records, errors.records[0].getMessage()

            probe()
    finally:
        logging.getLogger().removeHandler(errors)
    assert not slow, slow[:3]
    assert not refused, refused[:3]
    assert not errors.records, [(r.getMessage(), r.exc_text) for r in errors.records[:3]]
    sent = [c for c in fake_slack.calls if c.method in SENT or c.method.startswith("respond/")]
    assert sent, "the fuzzer never reached a reply"
    pinging = [(c.method, p) for c in sent for p in pings(c)]
    assert not pinging, pinging[:5]


@pytest.mark.parametrize("text", ["<!channel>", "<!here> <!everyone>", "<!subteam^S1|@x>"])
def test_the_ping_detector_sees_a_raw_special_mention(text: str) -> None:
    """The fuzz test's oracle must be able to fail."""
    assert pings(Call("chat.postMessage", {"text": text}))
    assert not pings(Call("chat.postMessage", {"text": text.replace("<", "&lt;")}))
