"""Linking chat accounts: by platform id from the roster, by email, or by a one-time code."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import Programme


def code_from(programme: Programme, who: str, line: str = "/mentorbot link") -> str:
    reply = programme.ok(who, line)
    assert reply.lines[0].key == "link.code"
    return str(reply.lines[0].params["code"])


def test_roster_ids_identify_people(programme: Programme) -> None:
    assert programme.core.identify("slack", "U0LEA") == programme.people["lea"]
    assert programme.core.identify("slack", "U0NOBODY") is None
    assert programme.core.identify("discord", "U0LEA") is None


def test_an_account_with_a_roster_email_links_itself(programme: Programme) -> None:
    sam = programme.core.link_by_email("slack", "U0SAM", "SAM@school.example")
    assert sam == programme.people["sam"]
    assert programme.core.identify("slack", "U0SAM") == sam
    assert programme.core.link_by_email("slack", "U0X", "stranger@else.org") is None


def test_a_code_links_another_platform_once(programme: Programme) -> None:
    code = code_from(programme, "lea")
    assert len(code) == 9 and code[4] == "-"
    reply = programme.core.redeem_link_code("discord", "123456789012345678", code.lower())
    assert reply.lines[0].key == "link.done" and not reply.is_error
    assert programme.core.identify("discord", "123456789012345678") == programme.people["lea"]
    again = programme.core.redeem_link_code("discord", "999999999999999999", code)
    assert again.is_error and again.lines[0].key == "link.bad_code"


def test_codes_expire(programme: Programme) -> None:
    code = code_from(programme, "sam")
    programme.clock.advance(minutes=31)
    assert programme.core.redeem_link_code("discord", "1" * 18, code).is_error
    assert programme.clock.now() - timedelta(minutes=31) < programme.clock.now()


def test_only_advisors_issue_codes_for_others(programme: Programme) -> None:
    assert programme.refused("lea", "/mentorbot link sam@school.example") == "error.not_allowed"
    code = code_from(programme, "advisor", "/mentorbot link sam@school.example")
    reply = programme.core.redeem_link_code("discord", "2" * 18, code)
    assert reply.lines[0].params["name"] == "Sam Taylor"
    assert programme.refused("advisor", "/mentorbot link ghost@school.example") == (
        "link.unknown_email"
    )
    assert programme.refused("lea", "/mentorbot link ABCD-EFGH") == "link.already"


def test_a_stranger_may_only_redeem_a_code_the_one_rule_every_adapter_asks(
    programme: Programme,
) -> None:
    core, account = programme.core, "123456789012345678"
    for name, text in (("book", ""), ("mentorbot", "link"), ("mentorbot", "link a@school.example")):
        assert core.run_unlinked("discord", account, name, text).lines[0].key == "link.unlinked"
    code = code_from(programme, "lea")
    linked = core.run_unlinked("discord", account, "/mentorbot", f"lier {code}")
    assert linked.lines[0].key == "link.done"
    assert core.identify("discord", account) == programme.people["lea"]
    bad = core.run_unlinked("discord", "1" * 18, "mentorbot", "link NOPE-NOPE")
    assert bad.is_error and bad.lines[0].key == "link.bad_code"
