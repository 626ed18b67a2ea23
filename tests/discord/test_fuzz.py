"""Fuzzing the Discord surface: INTERACTION_CREATE payloads through discord.py's own parser.

Payloads are built from the application commands the client registers (each option with a value
of its type), from the custom ids our buttons, menus and forms carry, and from
hostile text; who acts, where (a server or a DM) and in which language vary too. What a person
controls is fuzzed (option values, custom ids, field values, locale, sometimes the command name);
the envelope and the option types stay Discord's, since Discord builds and checks them.
Whatever arrives: no error is logged, each interaction
gets its first answer within 3 seconds, and no message the bot sends could ping `@everyone`,
`@here` or a role. Hypothesis draws the examples (2,000; 50,000 with `--fuzz`), which then go
through one logged-in client, as on a gateway.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from discord import AppCommandOptionType, app_commands
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.discord.client import build_client
from adapters.discord.views import LINK_FIELD, LINK_FORM
from tests import hostile
from tests.discord import payloads
from tests.discord.conftest import ADVISOR, LEA, MENTOR, SAM, STRANGER, ZOE, World, discord_bot
from tests.discord.fake_discord import Call, bot_message

ACK_LIMIT = 3.0
MESSAGE_ID = 940000000000099999
Leaf = tuple[str, str | None, list[Any]]  # a command, its subcommand, its parameters
PINGS = ("@everyone", "@here", "<@&")
PEOPLE = [LEA, SAM, MENTOR, ADVISOR, ZOE, STRANGER]
FRAGMENTS = st.sampled_from(
    [
        *hostile.TEXT,
        f"<@&{payloads.ADVISOR_ROLE_ID}>",
        f"<@{LEA[0]}>",
        "||spoiler||",
        "```",
    ]
)
HOSTILE = st.lists(st.one_of(FRAGMENTS, st.text(max_size=10)), max_size=4).map(" ".join)
# Buttons' encoded actions (bot.actions): ours, altered ones and forged ones.
ACTIONS = st.one_of(
    st.sampled_from(["v1:cs:1", "v1:rq:1", "v1:ar:1", "v1:ci", "v1:aa:x", "v9:aa:1", "v1:zz"]),
    st.sampled_from(["v1:mv:1:999999999999", "v1:bk:20261125130", "v1:rt:1:nobody", "v1:at:1:x"]),
    HOSTILE.map(lambda text: f"v1:{text}"),
)
LINES = st.one_of(
    ACTIONS,
    st.sampled_from(["/sessions", "/cancel 1", "/reply 1", "/checkin", "/alerts resolve 1"]),
    HOSTILE.map(lambda text: f"/ask {text}"),
    HOSTILE,
)
CUSTOM_IDS = st.one_of(
    LINES.map(lambda line: f"mb:{line}"),
    LINES.map(lambda line: f"mba:{line}"),
    st.sampled_from(["mb:pick:0", "mba:pick:1", "mb:link-code", "mb:form:link"]),
    st.sampled_from(["mb:form:reply:1", "mba:form:resolve:1", "mb:form:checkin"]),
    HOSTILE,
)
LOCALES = st.sampled_from(["fr", "en-US", "en-GB", "de", "xx", ""])
FIELDS = st.sampled_from([LINK_FIELD, "answer", "note", "progress", "blockers", "goal", "x"])


def option_values(kind: AppCommandOptionType) -> st.SearchStrategy[Any]:
    """A value of the option's type: Discord checks types (and snowflakes) before sending."""
    own: dict[AppCommandOptionType, st.SearchStrategy[Any]] = {
        AppCommandOptionType.string: HOSTILE,
        AppCommandOptionType.integer: st.integers(-(2**53), 2**53),
        AppCommandOptionType.number: st.floats(allow_nan=False, allow_infinity=False),
        AppCommandOptionType.boolean: st.booleans(),
        AppCommandOptionType.user: st.sampled_from([str(who[0]) for who in PEOPLE]),
    }
    return own.get(kind, HOSTILE)


def leaves(tree: app_commands.CommandTree[Any]) -> list[Leaf]:
    """Every command a person can invoke: its name, its subcommand, its parameters."""
    found = []
    for command in tree.get_commands():
        if isinstance(command, app_commands.Group):
            for sub in command.commands:
                if isinstance(sub, app_commands.Command):
                    found.append((command.name, sub.name, list(sub.parameters)))
        elif isinstance(command, app_commands.Command):
            found.append((command.name, None, list(command.parameters)))
    return found


@st.composite
def commands(draw: st.DrawFn, known: list[Leaf]) -> dict[str, Any]:
    name, sub, parameters = draw(st.sampled_from(known))
    chosen = (
        draw(st.lists(st.sampled_from(parameters), unique_by=lambda p: p.name))
        if parameters
        else []
    )
    options = []
    for parameter in chosen:
        kind = parameter.type
        value = draw(option_values(kind))
        options.append(payloads.option(parameter.name, value, kind.value))
    if draw(st.integers(0, 9)) == 0:
        name = draw(HOSTILE.filter(bool))
    people = [who for who in PEOPLE if any(o["value"] == str(who[0]) for o in options)]
    resolved = payloads.resolved(*people) if people else None
    return payloads.command(name, options, subcommand=sub, resolved=resolved)


@st.composite
def interactions(draw: st.DrawFn, known: list[Leaf]) -> dict[str, Any]:
    kind = draw(st.sampled_from([2, 2, 3, 3, 4, 5]))
    message = None
    if kind in (2, 4):
        data = draw(commands(known))
        focusable = _focusable(data, known) if kind == 4 else None
        if focusable is None:
            kind = 2
        else:  # Discord asks for suggestions only for an option that offers them
            focusable["focused"] = True
    elif kind == 3:
        custom_id = draw(CUSTOM_IDS)
        values = draw(st.none() | st.lists(LINES, min_size=1, max_size=3))
        if ":pick:" in custom_id and values is None:  # ours are menus: never clicked as buttons
            values = [draw(LINES)]
        data = payloads.click(custom_id, values)
        message = _holding(data, draw(HOSTILE))
    else:
        fields = draw(st.dictionaries(FIELDS, HOSTILE, max_size=4))
        data = payloads.form(draw(CUSTOM_IDS | st.just(LINK_FORM)), fields)
    who = draw(st.sampled_from(PEOPLE))
    roles = (payloads.ADVISOR_ROLE_ID,) if draw(st.booleans()) and who == ADVISOR else ()
    dm = 930000000000000099 if draw(st.integers(0, 4)) == 0 else None
    locale = draw(LOCALES)
    return payloads.interaction(kind, data, who, roles=roles, locale=locale, dm=dm, message=message)


def _holding(data: dict[str, Any], content: str) -> dict[str, Any]:
    """The message a clicked component sits in: Discord sends it with every click."""
    custom_id = data["custom_id"]
    if data["component_type"] == 2:
        component = {"type": 2, "style": 1, "label": "x", "custom_id": custom_id}
    else:
        options = [{"label": "x", "value": value} for value in data["values"]]
        component = {"type": 3, "custom_id": custom_id, "options": options}
    row = {"type": 1, "components": [component]}
    body = {"content": content, "components": [row]}
    return bot_message(str(MESSAGE_ID), str(payloads.CHANNEL_ID), body)


def _focusable(data: dict[str, Any], known: list[Leaf]) -> dict[str, Any] | None:
    """The last given option that has autocomplete, if any (where the cursor would be)."""
    options = data["options"]
    sub = options[0]["name"] if options and options[0]["type"] == payloads.SUB_COMMAND else None
    given_options = options[0]["options"] if sub else options
    for name, subcommand, parameters in known:
        if name == data["name"] and subcommand == sub:
            offering = {p.name for p in parameters if p.autocomplete}
            found = [o for o in given_options if o["name"] in offering]
            return found[-1] if found else None
    return None


class Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def pings(call: Call) -> list[str]:
    """A message whose content could notify many people: the mention, and what allowed it."""
    body = call.json if isinstance(call.json, dict) else {}
    message = body.get("data") if isinstance(body.get("data"), dict) else body
    content = str(message.get("content") or "")
    if not any(p in content for p in PINGS):
        return []
    allowed = message.get("allowed_mentions")
    if isinstance(allowed, dict) and not allowed.get("parse") and not allowed.get("roles"):
        return []
    return [content]


def generated(world: World, count: int) -> list[dict[str, Any]]:
    """The examples, drawn from the commands a freshly built client registers."""
    known = leaves(build_client(world.app).tree)
    drawn: list[dict[str, Any]] = []

    @settings(
        max_examples=count, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(payload=interactions(known))
    def draw(payload: dict[str, Any]) -> None:
        drawn.append(payload)

    draw()
    return drawn


async def answered(world: World, payload: dict[str, Any]) -> float:
    """Seconds until the interaction's first answer (its callback) reached Discord."""
    path = f"/interactions/{payload['id']}/{payload['token']}/callback"
    started = time.monotonic()
    while time.monotonic() - started < ACK_LIMIT:
        if any(c.path == path for c in world.fake.calls):
            return time.monotonic() - started
        await asyncio.sleep(0.002)
    return ACK_LIMIT


def test_interaction_payloads_never_crash_stall_or_ping(world: World, fuzz_examples: int) -> None:
    examples = generated(world, fuzz_examples)
    errors = Errors()
    logging.getLogger().addHandler(errors)
    slow: list[tuple[float, dict[str, Any]]] = []

    async def scenario() -> None:
        async with discord_bot(world) as bot:
            for payload in examples:
                bot.feed("INTERACTION_CREATE", payload)
                seconds = await answered(world, payload)
                if seconds >= ACK_LIMIT:
                    slow.append((seconds, payload["data"]))
                assert not errors.records, (errors.records[0].getMessage(), payload["data"])
            await asyncio.sleep(0.2)  # the last followups reach the fake

    try:
        asyncio.run(asyncio.wait_for(scenario(), timeout=60 + fuzz_examples * 0.1))
    finally:
        logging.getLogger().removeHandler(errors)
    assert not slow, slow[:3]
    assert not errors.records, [(r.getMessage(), r.exc_text) for r in errors.records[:3]]
    sent = [c for c in world.fake.calls if c.method in ("POST", "PATCH")]
    pinging = [(c.path, p) for c in sent for p in pings(c)]
    assert not pinging, pinging[:5]


def test_the_ping_detector_sees_an_everyone_mention_that_is_allowed() -> None:
    """The oracle must be able to fail: a content with @everyone and mentions allowed."""
    allowed = Call(
        "POST",
        "/webhooks/x",
        {},
        {"content": "@everyone", "allowed_mentions": {"parse": ["everyone"]}},
    )
    assert pings(allowed)
    none = Call(
        "POST", "/webhooks/x", {}, {"content": "@everyone", "allowed_mentions": {"parse": []}}
    )
    assert not pings(none)
    assert pings(Call("POST", "/channels/1/messages", {}, {"content": "@here"}))
