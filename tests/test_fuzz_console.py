"""The console line parser, fuzzed: every command, any argument text, as every role.

Nothing typed may crash a handler (`error.internal` is the apology for an unhandled exception)
or come back able to ping a crowd when a chat adapter shows it. 2,000 examples by default,
50,000 with `pytest --fuzz`.
"""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.i18n import Renderer
from bot.outbox import OutboxWorker
from bot.parsing import command_names
from bot.replies import Reply, Text
from tests.conftest import Programme
from tests.recording import RecordingDeliverer

COMMANDS = [*sorted(command_names()), "nope", "BOOK", "Ask"]
ROLES = ("lea", "sam", "mentor", "other.mentor", "validator", "advisor")
# Slack's and Discord's crowd pings, as a renderer must never show them raw.
PING = re.compile(r"<!(channel|here|everyone)\b|<!subteam\^|@(everyone|here)\b", re.IGNORECASE)

PINGS = st.sampled_from(
    ["<!channel>", "<!here>", "<!everyone>", "<!subteam^S0123|team>", "@everyone", "@here", "@Here"]
)
HOSTILE = st.sampled_from(
    [
        "<@U0LEA>",
        "<@U0MENTOR|camille>",
        "<@&123456789012345678>",
        "<#C123>",
        "\u202e",
        "\u200f",
        "\u2066",
        "\x00",
        "\x1b[2J",
        "\r",
        "\x85",
        "\ud800",
        "²",
        "٣",
        "１２",
        "#²",
        "#1",
        "1",
        "0",
        "-1",
        "9" * 30,
        "2026-11-26",
        "2026-11-26T09:00Z",
        "10:00",
        "09:00-12:00",
        "٠٩:٠٠-١٢:٠٠",
        "lun",
        "mon-fri",
        "add",
        "off",
        "ack",
        "resolve",
        "details",
        "all",
        "present",
        "validated",
        "defense",
        "topic=admin",
        "sujet=",
        "|",
        " | ",
        " -- ",
        "absence",
        "lea@school.example",
        "mentor@school.example",
        "{0}",
        "{value}",
        "%s",
        "x" * 5000,
    ]
)
WORD = st.one_of(
    PINGS, HOSTILE, st.text(max_size=20), st.text(alphabet="0123456789#:-|", max_size=8)
)
# Per command, shapes that get past its first checks, so hostile words reach the services.
SHAPES = {
    "checkin": ["{0} | {1} | {2}", "4 {0} | {1} | {2}"],
    "escalate": ["absence lea@school.example {0} -- {1}", "{0} <@U0LEA> {1}", "plagiat {0} {1}"],
    "notes": ["1 present {0} | {1} | {2} | oui", "#1 {0}", "1 late"],
    "defense": ["1 rework {0}", "1 {0} {1}"],
    "alerts": ["resolve 1 {0}", "ack {0}", "details 1", "all {0}"],
    "reply": ["1 {0}", "#1 {0} {1}"],
    "ask": ["topic=admin {0}", "{0} {1} {2}"],
    "contact": ["window {0} {1}", "async {0}", "window mon-fri {0}"],
    "availability": ["add {0} {1}", "off {0} {1}", "remove lun {0}"],
    "mentorbot": ["timezone {0}", "link {0}", "language {0}"],
    "book": ["{0} {1}", "defense {0} {1}"],
    "move": ["1 {0} {1}"],
    "progress": ["{0}"],
    "pause": ["{0}"],
}
FREE = st.lists(WORD, max_size=6).map(" ".join)


@st.composite
def command_lines(draw: st.DrawFn) -> tuple[str, str]:
    """A command name and its argument text: free words, or one of its shapes filled with them."""
    name = draw(st.sampled_from(COMMANDS))
    shapes = SHAPES.get(name.lower(), [])
    if shapes and draw(st.booleans()):
        words = draw(st.lists(WORD, min_size=3, max_size=3))
        return name, draw(st.sampled_from(shapes)).format(*words)
    return name, draw(FREE)


# PostgreSQL is slower per command: in the normal run its half draws fewer lines (the same
# parsers and services; what it adds is the database's own refusals, such as NUL or a long value).
PG_EXAMPLES = 300


def rendered(reply: Reply) -> list[str]:
    texts = [*reply.lines, *(choice.label for choice in reply.choices)]
    return [Renderer(locale, "Europe/Paris").text(t) for t in texts for locale in ("fr", "en")]


def notifications(programme: Programme) -> list[str]:
    deliverer = RecordingDeliverer()
    OutboxWorker(programme.database.uow, programme.clock, deliverer).drain()
    sent = [n for _, n in deliverer.sent] + deliverer.posted
    return [Renderer("en", "UTC").text(Text(n.key, n.params)) for n in sent]


def test_every_command_survives_any_text_as_every_role(
    programme: Programme, fuzz_examples: int, request: pytest.FixtureRequest
) -> None:
    on_pg = programme.database.engine.dialect.name == "postgresql"
    short = on_pg and not request.config.getoption("--fuzz")

    @settings(
        max_examples=PG_EXAMPLES if short else fuzz_examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(who=st.sampled_from(ROLES), line=command_lines())
    def one(who: str, line: tuple[str, str]) -> None:
        name, text = line
        reply = programme.core.run(programme.people[who].id, name, text)
        assert reply.lines
        assert reply.lines[0].key != "error.internal", (who, name, text)
        queued = [] if reply.is_error else notifications(programme)  # a refusal queues nothing
        for shown in rendered(reply) + queued:
            assert not PING.search(shown), (who, name, text, shown)

    one()


PING_WORDS = ["<!channel>", "<!here>", "<!everyone>", "<!subteam^S1|t>", "@everyone", "@here"]


def test_every_shape_echoes_pings_inertly(programme: Programme) -> None:
    """Random search rarely reaches a reply deep in a command: every shape, as every role, does."""
    cases = itertools.product(((n, s) for n, shapes in SHAPES.items() for s in shapes), ROLES)
    for turn, ((name, shape), who) in enumerate(cases):
        text = shape.format(*(PING_WORDS[(turn + slot) % len(PING_WORDS)] for slot in range(3)))
        reply = programme.core.run(programme.people[who].id, name, text)
        queued = [] if reply.is_error else notifications(programme)
        for shown in rendered(reply) + queued:
            assert not PING.search(shown), (who, name, text, shown)
