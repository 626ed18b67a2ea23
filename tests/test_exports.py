"""CSV exports, read back with the csv module: one row per fact, UTF-8 with a BOM, every time
in UTC and in the programme's zone."""

from __future__ import annotations

import csv
import io
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from bot import exports
from tests.conftest import Programme
from tests.programme_facts import build

PERIOD = exports.Period(date(2026, 11, 23), date(2026, 12, 6), ZoneInfo("Europe/Paris"))


def read(programme: Programme, kind: str, period: exports.Period = PERIOD) -> list[dict[str, str]]:
    with programme.database.uow() as uow:
        content, count = exports.export(uow, kind, period)
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM spreadsheets look for
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert len(rows) == count
    return rows


def test_sessions_one_row_each_with_both_times(programme: Programme) -> None:
    facts = build(programme)
    rows = read(programme, "sessions")
    assert len(rows) == 10  # next week's session is after the period
    held = next(r for r in rows if r["session_id"] == str(facts.sessions["lea_held"]))
    assert held["status"] == "done" and held["kind"] == "mentoring"
    assert (held["student_email"], held["student_name"]) == ("lea@school.example", "Léa Dubois")
    assert held["host_name"] == "Camille Martin"
    assert held["starts_at_utc"] == "2026-11-24T09:00:00Z"
    assert held["starts_at_local"] == "2026-11-24T10:00:00+01:00"
    late = next(r for r in rows if r["session_id"] == str(facts.sessions["zoe_late"]))
    assert (late["status"], late["late_cancellation"]) == ("cancelled", "True")
    assert late["cancelled_at_utc"] == "2026-11-26T07:00:00Z"


def test_attendance_alerts_checkins_and_feedback(programme: Programme) -> None:
    build(programme)
    attendance = read(programme, "attendance")
    assert sorted(r["attendance"] for r in attendance) == ["absent", "present", "present"]
    alerts = read(programme, "alerts")
    # Raised in the period: Léa's plagiarism alert was raised on 22 November, before it.
    assert sorted(r["category"] for r in alerts) == ["absence", "disengagement", "disrespect"]
    system = next(r for r in alerts if r["category"] == "disengagement")
    assert system["raised_by_system"] == "True" and system["raised_by_email"] == ""
    checkins = read(programme, "checkins")
    assert len(checkins) == 6
    assert {r["iso_week"] for r in checkins} == {"2026-W48", "2026-W49"}
    assert sorted(r["confidence"] for r in checkins) == ["", "", "", "2", "3", "4"]
    assert "progress" not in checkins[0]  # what students wrote stays out of bulk exports
    feedback = read(programme, "feedback")
    assert sorted(r["score"] for r in feedback) == ["1", "5"]
    assert {r["comment"] for r in feedback} == {"Léa found it useless", ""}


def test_the_period_is_whole_local_days(programme: Programme) -> None:
    build(programme)
    one_day = exports.Period(date(2026, 11, 24), date(2026, 11, 24), ZoneInfo("Europe/Paris"))
    assert [r["starts_at_local"] for r in read(programme, "sessions", one_day)] == [
        "2026-11-24T10:00:00+01:00"
    ]


@pytest.mark.parametrize("text", ["=HYPERLINK(1)", "+1", "-2", "@SUM(A1)"])
def test_no_cell_runs_as_a_spreadsheet_formula(text: str) -> None:
    content = exports.to_csv(["name"], [[text]])
    [row] = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1:]
    assert row == ["'" + text]
