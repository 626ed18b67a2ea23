"""Nothing a person types can crash a handler: every input gets a reply."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.i18n import Renderer
from tests.conftest import Programme
from tests.test_console import mentorbot

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
        "/mentorbot timezone Mars/\x00Olympus",
    ],
)
def test_edge_values_are_refused_politely(programme: Programme, line: str) -> None:
    reply = programme.run("lea", line)
    assert reply.is_error
    assert reply.lines[0].key.startswith(("error.", "session.", "usage.", "timezone."))


# Digits other than 0-9: `'²'.isdigit()` is true but `int('²')` fails; `int('٣')` reads 3.
UNICODE_DIGITS = ["²", "٣", "１", "߁", "৩"]


@pytest.mark.parametrize("digit", UNICODE_DIGITS)
@pytest.mark.parametrize(
    ("who", "line", "key"),
    [
        ("lea", "/cancel {d}", "error.bad_session_id"),
        ("lea", "/cancel #{d}", "error.bad_session_id"),
        ("lea", "/move {d} 2026-11-26 10:00", "error.bad_session_id"),
        ("mentor", "/notes {d} present", "usage.notes"),
        ("mentor", "/defense {d} validated", "usage.defense"),
        ("mentor", "/reply {d} merci", "usage.reply"),
        ("advisor", "/alerts ack {d}", "usage.alerts"),
        ("advisor", "/alerts resolve {d} fini", "usage.alerts"),
        ("advisor", "/alerts details {d}", "usage.alerts"),
        ("lea", "/checkin {d} API | rien | tests", "checkin.bad_confidence"),
        ("mentor", "/availability add lun {d}9:00-12:00", "error.bad_time"),
        ("mentor", "/availability off 202{d}-12-01", "error.bad_date"),
        ("lea", "/book 2026-11-26 1{d}:00", "error.bad_time"),
    ],
)
def test_numbers_are_read_in_ascii_digits_only(
    programme: Programme, who: str, line: str, key: str, digit: str
) -> None:
    reply = programme.run(who, line.format(d=digit))
    assert reply.is_error and reply.lines[0].key == key, reply


def test_ascii_numbers_still_read(programme: Programme) -> None:
    assert programme.refused("lea", "/cancel 42") == "session.not_found"
    programme.ok("mentor", "/availability add mar 9h00-12:00")


def questions_of(programme: Programme, who: str) -> list[str]:
    with programme.database.uow() as uow:
        return [q.text for q in uow.questions.of_student(programme.people[who].id)]


HOSTILE = "a\x00b\x01c\x1b[31md\x7fe\x85f\r\ng\rh\ti\ud800"
CLEANED = "abc[31mdef\ng\nh\ti"


def test_control_characters_never_reach_the_database(programme: Programme) -> None:
    """NUL is refused by PostgreSQL and kept by SQLite; neither should see it (nor ESC, nor C1)."""
    programme.ok("mentor", "/contact async")
    programme.ok("lea", f"/ask {HOSTILE}")
    assert questions_of(programme, "lea") == [CLEANED]
    programme.ok("mentor", f"/reply 1 {HOSTILE}")
    with programme.database.uow() as uow:
        question = uow.questions.get(1)
        assert question is not None and question.answer == CLEANED
    programme.ok("mentor", f"/escalate absence lea@school.example {HOSTILE} -- x\x00y")
    with programme.database.uow() as uow:
        alert = uow.alerts.get(1)
        assert alert is not None and alert.summary == CLEANED
        assert uow.alerts.details(1) == "xy"
    programme.ok("lea", "/checkin 4 API\x00 fini | rien\x00 | tests\x00")
    with programme.database.uow() as uow:
        (checkin,) = uow.checkins.recent(programme.people["lea"].id)
    assert (checkin.progress, checkin.blockers, checkin.goal) == ("API fini", "rien", "tests")


def test_a_nul_in_a_command_name_or_a_link_code_is_harmless(programme: Programme) -> None:
    assert programme.refused("lea", "/can\x00cel 4\x002") == "session.not_found"
    reply = programme.core.redeem_link_code("slack", "UNEW", "ab\x00cd")
    assert reply.is_error and reply.lines[0].key == "link.bad_code"


def test_the_console_reads_choices_in_ascii_digits_only(tmp_path: Path) -> None:
    """The console picks a numbered choice itself, before the core: `²` must not crash it."""
    assert mentorbot(tmp_path, "demo").returncode == 0
    run = mentorbot(
        tmp_path, "console", "--as", "lea.dubois@example.org", stdin="/book\n²\n/cancel ٣\n"
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert "> ²\nJe ne suis pas sûr" in run.stdout  # not a choice: plain text, a question
    assert "«\u202f٣\u202f» n’est pas un numéro de séance" in run.stdout, run.stdout
