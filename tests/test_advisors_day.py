"""The advisor's day at 300 students: `/alerts` a page at a time with each alert's own labelled
buttons and its filters, the mentor told when their alert is taken up and closed, and
`/students` with its filters and pages (a mentor sees their own), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import actions
from bot import commands as c
from bot.action_lines import command_line
from bot.domain import AlertCategory, AlertStatus, CheckinAnswer, NewSession, SessionKind
from bot.i18n import Renderer
from bot.replies import Reply
from bot.services import alert_list, students
from bot.services.roster import import_roster
from tests.conftest import ROSTER, Programme
from tests.statements import counting

STUDENTS, MENTORS = 300, 30
DISCORD_LIMIT = 2000


def school(programme: Programme) -> None:
    """300 students over 30 mentors on two paths; every other one linked on Slack; an
    absence alert raised by the mentor of every third; a disengagement alert on every
    fifth; every tenth paused; the first twenty with a held session and two check-ins."""
    header = ROSTER.splitlines()[0]
    lines = [header] + [
        f"m{m}@big.example,Mentor {m:02},mentor,Europe/Paris,fr,,,,,," for m in range(MENTORS)
    ]
    lines += [
        f"s{s}@big.example,Student {s:03},student,Europe/Paris,fr,{f'US{s}' if s % 2 else ''},,"
        f"m{s % MENTORS}@big.example,30,1,{'Web' if s % 2 else 'Data'}"
        for s in range(STUDENTS)
    ]
    now = programme.clock.now()
    with programme.database.uow() as uow:
        report = import_roster(uow, "\n".join(lines) + "\n", "Europe/Paris", "fr", now)
        assert report.applied, report.rejected[:3]
        people = uow.people.by_emails(report.created)
        for s in range(STUDENTS):
            student = people[f"s{s}@big.example"]
            mentor = people[f"m{s % MENTORS}@big.example"]
            if s % 3 == 0:
                uow.alerts.add(
                    student.id, mentor.id, AlertCategory.ABSENCE, f"Absent {s}", None, now
                )
            if s % 5 == 0:
                uow.alerts.add(
                    student.id, None, AlertCategory.DISENGAGEMENT, "No session", None, now
                )
            if s < 20:
                start = now - timedelta(days=3, hours=s)
                kind = SessionKind.MENTORING
                session = NewSession(
                    student.id, mentor.id, kind, start, start + timedelta(minutes=30)
                )
                uow.sessions.add(session)
                for back, confidence in ((2, 2), (1, 4)):
                    week = (now - timedelta(weeks=back)).isocalendar()[:2]
                    uow.checkins.create(week, [student.id], now - timedelta(weeks=back))
                    answer = CheckinAnswer("ok", confidence, "", "")
                    uow.checkins.answer(student.id, week, answer, now - timedelta(weeks=back))
        uow.commit()
        programme.people |= {e.split("@")[0]: p for e, p in people.items()}
    for s in range(0, STUDENTS, 10):
        programme.ok("advisor", f"/pause s{s}@big.example")


@pytest.fixture
def big(programme: Programme) -> Programme:
    school(programme)
    return programme


def rendered(reply: Reply, locale: str = "en") -> str:
    renderer = Renderer(locale, "Europe/Paris")
    return "\n".join(renderer.text(line) for line in reply.lines)


def labels(reply: Reply, locale: str = "en") -> list[str]:
    renderer = Renderer(locale, "Europe/Paris")
    return [renderer.text(choice.label) for choice in reply.choices]


def press(programme: Programme, who: str, reply: Reply, label: str) -> Reply:
    """Press a button as a platform does: its encoded action, decoded and run."""
    (choice,) = [ch for ch, text in zip(reply.choices, labels(reply), strict=True) if text == label]
    action = actions.decode(actions.encode(choice.action))
    return programme.core.handle(programme.people[who].id, action)


def test_the_alert_list_pages_with_each_alerts_own_labelled_buttons(big: Programme) -> None:
    first = big.ok("advisor", "/alerts")
    live = STUDENTS // 3 + STUDENTS // 5  # absences and disengagements
    assert first.lines[0].key == "alerts.page"
    assert first.lines[0].params == {"first": 1, "last": 7, "total": live}
    assert rendered(first).startswith(f"Alerts 1–7 of {live}:")
    newest = [line.params["id"] for line in first.lines[1:]]
    assert labels(first)[:2] == [f"Acknowledge #{newest[0]}", f"Resolve #{newest[0]}"]
    assert all("#" in label for label in labels(first)[:-1])  # each says its alert
    assert labels(first)[-1] == "Page 2 →"
    assert len(first.choices) <= 25 and len(rendered(first, "fr")) < DISCORD_LIMIT
    second = press(big, "advisor", first, "Page 2 →")
    assert second.lines[0].params == {"first": 8, "last": 14, "total": live}
    assert {line.params["id"] for line in second.lines[1:]}.isdisjoint(newest)
    assert labels(second)[-2:] == ["← Page 1", "Page 3 →"]
    last = big.ok("advisor", "/alerts page 999")  # past the end: the last page
    assert last.lines[0].params["last"] == live and "Page 3 →" not in labels(last)
    # A button on the page acts on its own alert.
    acked = press(big, "advisor", first, f"Acknowledge #{newest[0]}")
    assert acked.lines[0].key == "alert.acknowledged" and acked.lines[0].params["id"] == newest[0]


def test_the_alert_list_filters_by_state_category_mentor_and_student(big: Programme) -> None:
    absences = big.ok("advisor", "/alerts absence")
    assert absences.lines[0].params["total"] == STUDENTS // 3
    mentor = big.ok("advisor", "/alerts mentor m3@big.example")
    ids = {big.people[f"s{s}"].id for s in range(3, STUDENTS, MENTORS)}
    assert mentor.lines[0].params["total"] == 10  # s3, s33, …: an absence each
    assert all(line.params["student"] in _names(big, ids) for line in mentor.lines[1:])
    none = big.ok("advisor", "/alerts mentor m3@big.example désengagement")
    assert [line.key for line in none.lines] == ["alert.none"]
    one = big.ok("advisor", "/alerts s3@big.example")
    assert one.lines[0].params["total"] == 1 and one.lines[1].params["student"] == "Student 003"
    # State: resolved ones, with their resolution note; a second report shown.
    big.ok("m3", "/escalate absence s33@big.example Still absent this week")
    alert_id = big.ok("advisor", "/alerts s33@big.example").lines[1].params["id"]
    again = rendered(big.ok("advisor", "/alerts s33@big.example"))
    assert "2 reports, the latest: Still absent this week" in again
    big.ok("advisor", f"/alerts resolve {alert_id} Called the family, back Monday")
    assert big.ok("advisor", "/alerts resolved").lines[0].params["total"] == 1
    closed = rendered(big.ok("advisor", "/alerts resolved"))
    assert "resolution: Called the family, back Monday" in closed
    new = big.ok("advisor", "/alerts new absence mentor m3@big.example")
    assert new.lines[0].params["total"] == 10 - 1
    # The filters ride on the next page's button, as ids.
    line = command_line(big.ok("advisor", "/alerts all mentor m3@big.example").choices[-1].action)
    assert line == f"/alerts all mentor #{big.people['m3'].id} page 2"
    assert big.refused("advisor", "/alerts sometimes") == "usage.alerts"


def _names(programme: Programme, ids: set[int]) -> set[str]:
    return {p.name for p in programme.people.values() if p.id in ids}


def test_the_mentor_is_told_when_their_alert_is_taken_up_and_closed(big: Programme) -> None:
    from tests.test_alerts import drain

    big.ok("mentor", "/escalate absence lea@school.example Absent -- hospital, private")
    alert_id = big.ok("advisor", "/alerts lea@school.example").lines[1].params["id"]
    drain(big)
    big.ok("advisor", f"/alerts ack {alert_id}")
    told = [n for n in drain(big) if n.recipient_id == big.people["mentor"].id]
    assert [n.key for n in told] == ["alert.raiser_acknowledged"]
    assert "Nadia Benali" in Renderer("en", "Europe/Paris").text(_as_text(told[0]))
    big.ok("advisor", f"/alerts resolve {alert_id} Secret note about the family")
    told = [n for n in drain(big) if n.recipient_id == big.people["mentor"].id]
    assert [n.key for n in told] == ["alert.raiser_resolved"]
    shown = Renderer("en", "Europe/Paris").text(_as_text(told[0]))
    assert "resolved by Nadia Benali" in shown
    assert "Secret" not in shown and "hospital" not in shown  # never the note nor details


def _as_text(notification: object) -> object:
    from bot.replies import Text

    return Text(notification.key, notification.params)  # type: ignore[attr-defined]


def test_students_pages_and_filters(big: Programme) -> None:
    everyone = big.ok("advisor", "/students")
    total = STUDENTS + 3  # and the three of the small programme
    assert everyone.lines[0].params == {"first": 1, "last": students.PAGE, "total": total}
    assert len(rendered(everyone, "fr")) < DISCORD_LIMIT
    later = press(big, "advisor", everyone, "Page 2 →")
    assert later.lines[0].params["first"] == students.PAGE + 1
    paused = big.ok("advisor", "/students paused")
    assert paused.lines[0].params["total"] == STUDENTS // 10
    assert all("(paused)" in line for line in rendered(paused).splitlines()[1:])
    unlinked = big.ok("advisor", "/students unlinked")
    assert unlinked.lines[0].params["total"] == STUDENTS // 2 + 2  # sam and zoé too
    web = big.ok("advisor", "/students path web")
    assert web.lines[0].params["total"] == STUDENTS // 2 + 2  # léa and zoé too
    of_m3 = big.ok("advisor", "/students mentor m3@big.example")
    assert of_m3.lines[0].params["total"] == STUDENTS // MENTORS
    both = big.ok("advisor", "/students paused mentor m0@big.example path Data")
    assert both.lines[0].params["total"] == STUDENTS // MENTORS  # s0, s30, … all paused
    assert big.refused("advisor", "/students mentor s1@big.example") == "students.not_a_mentor"
    assert big.refused("advisor", "/students nonsense") == "usage.students"


def test_a_student_line_says_mentor_project_session_checkin_trend_alerts(big: Programme) -> None:
    reply = big.ok("advisor", "/students mentor m3@big.example")
    (line,) = [ln for ln in reply.lines[1:] if ln.params.get("name") == "Student 003"]
    shown = Renderer("en", "Europe/Paris").text(line)
    assert "mentor: Mentor 03" in shown and "open alerts: 1" in shown
    assert "confidence: 2 → 4 (rising)" in shown and "last session: none" not in shown
    assert "last check-in: none" not in shown


def test_at_risk_is_the_overviews_list(big: Programme) -> None:
    from bot.overview import build

    with big.database.uow() as uow:
        overview = build(uow, big.clock.now(), ZoneInfo("Europe/Paris"))
    risky = {r.name for r in overview.at_risk}
    assert len(risky) == STUDENTS // 5 - STUDENTS // 10  # disengaged, not paused
    listed = {ln.params["name"] for page in _pages(big, "/students at-risk") for ln in page}
    assert listed == risky


def _pages(programme: Programme, line: str) -> list[list]:  # type: ignore[type-arg]
    reply = programme.ok("advisor", line)
    found = [list(reply.lines[1:])]
    while any(labels(reply)[-1:] == [f"Page {n} →"] for n in range(2, 100)):
        reply = press(programme, "advisor", reply, labels(reply)[-1])
        found.append(list(reply.lines[1:]))
    return found


def test_a_mentor_sees_only_their_own_students(big: Programme) -> None:
    mine = big.ok("m3", "/students")
    assert mine.lines[0].params["total"] == STUDENTS // MENTORS
    theirs = big.ok("m3", "/students mentor m4@big.example")  # ignored: their own
    assert {ln.params["name"] for ln in theirs.lines[1:]} == {
        ln.params["name"] for ln in mine.lines[1:]
    }
    assert big.refused("s3", "/students") == "error.not_allowed"


def test_progress_with_no_student_points_an_advisor_to_students(big: Programme) -> None:
    reply = big.ok("advisor", "/progress")
    assert reply.lines[0].key == "progress.advisor_students"
    assert [command_line(ch.action) for ch in reply.choices] == ["/students"]


def test_a_students_page_costs_a_bounded_number_of_statements(big: Programme) -> None:
    for line in ("/students", "/students at-risk", "/students mentor m3@big.example page 2"):
        with counting(big.database.engine) as seen:
            big.ok("advisor", line)
        assert len(seen) <= 14, seen
    with counting(big.database.engine) as seen:
        big.ok("advisor", "/alerts all")
    assert len(seen) <= 10, seen


def test_the_codec_carries_the_filters(big: Programme) -> None:
    command = c.ListAlerts(False, None, AlertStatus.OPEN, AlertCategory.ABSENCE, None, 4, 5, 3)
    assert actions.decode(actions.encode(command)) == command
    assert alert_list.PAGE * 3 + 2 <= 25  # a page's buttons fit one Discord message
