"""The codec of button actions: every action survives its encoding, short; garbage is refused;
the codes and the command lines of buttons already posted keep their meaning."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import actions
from bot import commands as c
from bot.action_lines import command_line
from bot.domain import AlertCategory, AlertStatus, ContactRule, Topic
from bot.errors import UserError
from bot.i18n import Renderer
from bot.parsing import parse
from tests.conftest import Programme

INSTANTS = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2200, 12, 31), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=0))
ZONED = st.builds(
    lambda d, minutes: d.astimezone(timezone(timedelta(minutes=minutes))),
    INSTANTS,
    st.integers(-14 * 60, 14 * 60),
)
NUMBERS = st.integers(0, 999_999_999)
# What each argument of a carried command may be; a new argument needs its line here.
FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "starts_at": INSTANTS | ZONED,
    "day": st.dates(date(1970, 1, 1), date(2200, 12, 31)),
    "session_id": NUMBERS,
    "question_id": NUMBERS,
    "alert_id": NUMBERS,
    "rule": st.sampled_from([ContactRule.NONE, ContactRule.ASYNC]),
    "topic": st.sampled_from(list(Topic)),
    "target": st.sampled_from(list(Topic)),
    "include_closed": st.booleans(),
    "state": st.sampled_from(list(AlertStatus)),
    "category": st.sampled_from(list(AlertCategory)),
    "mentor_id": NUMBERS,
    "page": st.integers(2, 10_000),
    "which": st.sampled_from(["at_risk", "paused", "unlinked"]),
    "path": st.from_regex(r"[a-z][a-z0-9-]{0,30}", fullmatch=True),
    "attendance": st.sampled_from(["present", "absent", "late"]),
    "outcome": st.sampled_from(["validated", "rework"]),
    "locale": st.sampled_from(["fr", "en"]),
    "confirmed": st.booleans(),
    "person_id": NUMBERS,
    "student_id": NUMBERS,
    "score": st.integers(0, 10),
}


def _strategy(shape: actions.Shape) -> st.SearchStrategy[c.Command]:
    fields = {
        name: (st.just(arg.absent) | FIELDS[name]) if arg.optional else FIELDS[name]
        for name, arg in shape.args
    }
    return st.builds(shape.kind, **fields, **{k: st.just(v) for k, v in shape.fixed.items()})


CARRIED = st.one_of([_strategy(shape) for shape in actions.SHAPES])


@given(CARRIED)
def test_every_action_survives_its_encoding_within_80_characters(action: c.Command) -> None:
    value = actions.encode(action)
    assert len(value) <= actions.MAX_LENGTH == 80
    assert value.startswith("v1:") and value.isascii()
    assert actions.decode(value) == action
    assert actions.encode(actions.decode(value)) == value  # one spelling per action


@given(st.one_of(st.text(max_size=120), st.binary().map(repr), st.none(), st.integers()))
def test_garbage_is_refused_never_raised(value: Any) -> None:
    action = actions.read(value)
    assert action is None or actions.carriable(action)
    if action is None and isinstance(value, str):
        with pytest.raises(UserError) as refused:
            actions.decode(value)
        assert refused.value.key == actions.STALE


FORGED = st.builds(
    lambda code, parts: ":".join(["v1", code, *parts]),
    st.sampled_from([s.code for s in actions.SHAPES] + ["", "zz"]),
    st.lists(
        st.sampled_from(["", "0", "7", "-1", "١٢", "²", "9" * 10, "x", "1.5", "present", "mentor"])
        | st.text(max_size=20)
        | st.from_regex(r"[0-9]{12,14}", fullmatch=True),
        max_size=4,
    ),
)


@given(FORGED)
def test_forged_values_with_our_codes_decode_only_to_what_a_button_may_carry(value: str) -> None:
    action = actions.read(value)
    assert action is None or actions.encode(action) is not None


def test_every_argument_has_a_strategy() -> None:
    assert {name for shape in actions.SHAPES for name, _ in shape.args} <= set(FIELDS)


@pytest.mark.parametrize("shape", actions.SHAPES, ids=lambda s: s.code)
def test_every_field_of_a_carried_command_is_an_argument_or_fixed(shape: actions.Shape) -> None:
    """A field added to a command later must be carried or refused, never silently dropped."""
    declared = [name for name, _ in shape.args] + list(shape.fixed)
    assert sorted(declared) == sorted(f.name for f in dataclasses.fields(shape.kind))


def test_the_codes_are_pinned_because_buttons_are_already_posted_with_them() -> None:
    """Renaming a code (or reusing one) breaks every button already sent: add, never change."""
    assert {shape.code: shape.kind.__name__ for shape in actions.SHAPES} == {
        "bk": "BookSession",
        "ls": "ListSessions",
        "cs": "CancelSession",
        "mv": "MoveSession",
        "la": "ListAvailability",
        "hp": "ShowHelp",
        "cr": "SetContactRule",
        "aq": "AskQuestion",
        "rq": "ReplyToQuestion",
        "rt": "RouteQuestion",
        "al": "ListAlerts",
        "aa": "AcknowledgeAlert",
        "ar": "ResolveAlert",
        "ad": "ShowAlertDetails",
        "ci": "AnswerCheckin",
        "at": "RecordAttendance",
        "do": "RecordDefenseOutcome",
        "bd": "BookDefense",
        "sp": "ShowProgress",
        "sl": "SetLanguage",
        "ep": "ErasePerson",
        "ch": "SendConfidenceChart",
        "fb": "AnswerFeedback",
        "st": "ListStudents",
    }


AT = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
POSTED = {  # values as this release writes them: they must read the same in every later one
    "v1:aa:7": c.AcknowledgeAlert(7),
    "v1:ar:3": c.ResolveAlert(3, ""),
    "v1:ad:3": c.ShowAlertDetails(3),
    "v1:mv:5:202611251300": c.MoveSession(5, AT),
    "v1:mv:5": c.MoveSession(5, None),
    "v1:mv:5::2": c.MoveSession(5, None, 2),  # the second page of its slots
    "v1:bk:20261125130030": c.BookSession(AT.replace(second=30)),
    "v1:rt:12:mentor": c.RouteQuestion(12, Topic.MENTOR),
    "v1:rt:12": c.RouteQuestion(12, None),
    "v1:at:5:late": c.RecordAttendance(5, "late"),
    "v1:ci": c.AnswerCheckin(None),
    "v1:cr:async": c.SetContactRule(ContactRule.ASYNC),
    "v1:aq:admin": c.AskQuestion("", Topic.ADMIN),
    "v1:al:1": c.ListAlerts(include_closed=True),
    "v1:al:0:resolved:plagiarism:3:4:2": c.ListAlerts(
        False, None, AlertStatus.RESOLVED, AlertCategory.PLAGIARISM, None, 3, 4, 2
    ),
    "v1:st:at_risk:5:developpeur-web:2": c.ListStudents("at_risk", None, "developpeur-web", 5, 2),
    "v1:cs:7:1": c.CancelSession(7, confirmed=True),
    "v1:ep:4:1": c.ErasePerson(None, True, 4),
    "v1:fb:5:4": c.AnswerFeedback(5, 4),
}


@pytest.mark.parametrize(("value", "action"), POSTED.items())
def test_values_already_posted_keep_their_meaning(value: str, action: c.Command) -> None:
    assert actions.decode(value) == action
    assert actions.encode(action) == value


LEGACY = {  # the command lines buttons carried before actions, exactly as they were written
    "/alerts ack 7": c.AcknowledgeAlert(7),
    "/alerts resolve 3": c.ResolveAlert(3, ""),
    "/alerts details 3": c.ShowAlertDetails(3),
    "/route 12 mentor": c.RouteQuestion(12, Topic.MENTOR),
    "/route 12 advisor": c.RouteQuestion(12, None),
    "/notes 5 present": c.RecordAttendance(5, "present"),
    "/book defense": c.BookDefense(None),
    "/book defense 2026-11-25T13:00Z": c.BookDefense(AT),
    "/book 2026-11-25T13:00Z": c.BookSession(AT),
    "/book": c.BookSession(None),
    "/cancel 7": c.CancelSession(7),
    "/move 7": c.MoveSession(7, None),
    "/move 7 2026-11-25T13:00Z": c.MoveSession(7, AT),
    "/reply 12": c.ReplyToQuestion(12, ""),
    "/checkin": c.AnswerCheckin(None),
    "/contact none": c.SetContactRule(ContactRule.NONE),
    "/contact async": c.SetContactRule(ContactRule.ASYNC),
    "/ask topic=admin": c.AskQuestion("", Topic.ADMIN),
}


@pytest.mark.parametrize(("line", "action"), LEGACY.items())
def test_a_button_posted_before_actions_still_reads(line: str, action: c.Command) -> None:
    assert actions.decode(line) == action
    assert command_line(action) == line  # what the console shows is what buttons carried


@pytest.mark.parametrize(
    "line",
    [
        "/ask is this for my mentor?",  # free text never went on a button: a forgery
        "/reply 12 my answer",
        "/escalate plagiarism <@U1> copied",
        "/alerts resolve 3 done",
        "/nonsense",
        "/cancel 1 2 3",
        "/" + "x" * 300,
    ],
)
def test_a_command_line_no_button_carried_is_refused(line: str) -> None:
    assert actions.read(line) is None


def _typeable(action: c.Command) -> bool:
    """Not an action with no session but something about it, nor a booking of an instant
    on a day (no button offers either)."""
    if isinstance(action, c.BookSession) and action.starts_at and action.day:
        return False
    return getattr(action, "session_id", 0) is not None or action in (
        c.CancelSession(None),
        c.MoveSession(None, None),
    )


@given(CARRIED.filter(_typeable))
def test_the_line_of_every_action_is_read_back_into_it(action: c.Command) -> None:
    starts_at = getattr(action, "starts_at", None)
    if starts_at is not None and starts_at.second:
        return  # a line says minutes; buttons' instants are slots, on the minute
    line = command_line(action)
    name, _, text = line.partition(" ")
    assert parse(name, text, ZoneInfo("Pacific/Chatham")) == action
    assert actions.read(line) == action


@pytest.mark.parametrize(
    "command",
    [
        c.ReplyToQuestion(1, "an answer"),
        c.ResolveAlert(1, "a note"),
        c.AskQuestion("a question"),
        c.RaiseAlert(AlertCategory.ABSENCE, c.PersonRef("a@b.c"), "summary"),
        c.SetContactRule(ContactRule.ASYNC, person=c.PersonRef("a@b.c")),
        c.BookSession(datetime(2026, 11, 25, 13, 0)),  # naive: no instant at all
        c.BookSession(AT.replace(microsecond=5)),
    ],
)
def test_free_text_and_vague_instants_never_go_on_a_button(command: c.Command) -> None:
    with pytest.raises(ValueError):
        actions.encode(command)


def test_a_forged_button_is_refused_by_the_core_in_the_clickers_language(
    programme: Programme,
) -> None:
    lea = programme.people["lea"]
    reply = programme.core.handle(lea.id, lambda: actions.decode("v1:aa:x"))
    assert reply.is_error and reply.lines[0].key == actions.STALE
    assert Renderer("fr", "UTC").text(reply.lines[0]).startswith("Ce bouton n’est plus valide")
    assert Renderer("en", "UTC").text(reply.lines[0]).startswith("This button is no longer valid")
