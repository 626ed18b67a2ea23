"""Nothing a person types can crash a handler: every input gets a reply."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.i18n import Renderer
from tests.conftest import Programme

COMMANDS = ["/book", "/sessions", "/cancel", "/move", "/availability", "/mentorbot", "/help"]
WORDS = st.sampled_from(
    [
        "add",
        "remove",
        "off",
        "list",
        "lun",
        "mon",
        "09:00-12:00",
        "2026-11-26",
        "10:00",
        "2026-02-30",
        "99:99",
        "#1",
        "1",
        "-1",
        "999999999999999999999",
        "timezone",
        "language",
        "Europe/Paris",
        "../../etc",
        "fr",
        "en",
        "<!channel>",
        "@everyone",
        "\u202e",
        "%s",
        "{when}",
        "2026-11-26T09:00Z",
        "2027-03-28",
        "02:30",
        "",
    ]
)
LINES = st.tuples(
    st.sampled_from(COMMANDS), st.lists(st.one_of(WORDS, st.text(max_size=12)), max_size=4)
).map(lambda t: " ".join([t[0], *t[1]]))


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(line=LINES)
def test_any_line_gets_a_reply_never_an_exception(programme: Programme, line: str) -> None:
    for who in ("lea", "mentor", "advisor"):
        reply = programme.run(who, line)
        assert reply.lines
        for locale in ("fr", "en"):
            assert all(Renderer(locale, "Europe/Paris").reply(reply))


def test_placeholders_typed_by_a_user_are_not_interpreted(programme: Programme) -> None:
    reply = programme.run("mentor", "/availability add {when}{0} 09:00-10:00")
    text = Renderer("en", "UTC").reply(reply)[0]
    assert text.startswith("“{when}{0}” is not a weekday")


@pytest.mark.parametrize(
    "line",
    [
        "/book 0001-01-01 00:00",
        "/book 9999-12-31 23:59",
        "/book 2026-11-26T25:61Z",
        "/cancel 99999999999",
        "/move 1 2026-02-30 10:00",
        "/availability off 0001-01-01 9999-12-31",
        "/mentorbot timezone \x00",
    ],
)
def test_edge_values_are_refused_politely(programme: Programme, line: str) -> None:
    reply = programme.run("lea", line)
    assert reply.is_error
    assert reply.lines[0].key.startswith(("error.", "session.", "usage.", "timezone."))
