"""Every number of the advisors' overview, against a programme whose fortnight is known
(tests/programme_facts.py), and the reply's size for 300 students."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot import overview
from bot.clock import ManualClock
from bot.domain import AlertCategory
from bot.replies import Text
from storage.database import Database
from tests.conftest import Programme, load_programme
from tests.programme_facts import NOW, build

PARIS = ZoneInfo("Europe/Paris")


def view(programme: Programme) -> overview.Overview:
    with programme.database.uow() as uow:
        return overview.build(uow, NOW, PARIS)


def test_alerts_by_age_and_category(programme: Programme) -> None:
    build(programme)
    alerts = view(programme).alerts
    assert alerts.total == 3  # the resolved one is not counted
    assert alerts.unacknowledged == 2
    assert alerts.by_age == {"day": 1, "days3": 1, "week": 0, "older": 1}
    assert alerts.by_category == {
        AlertCategory.ABSENCE: 1,
        AlertCategory.DISENGAGEMENT: 1,
        AlertCategory.PLAGIARISM: 1,
    }


def test_students_at_risk_with_their_reason(programme: Programme) -> None:
    build(programme)
    at_risk = view(programme).at_risk
    assert [(r.name, r.mentor) for r in at_risk] == [
        ("Léa Dubois", "Camille Martin"),
        ("Sam Taylor", "Camille Martin"),
    ]
    assert at_risk[0].reason == Text("overview.reason_feedback")
    assert at_risk[1].reason == Text("overview.reason", {"text": "2 check-ins missed"})


def test_sessions_this_week_and_last(programme: Programme) -> None:
    build(programme)
    data = view(programme)
    # Mentoring only: the defense held on Tuesday is not a mentoring session.
    assert data.this_week == overview.WeekSessions(held=1, missed=1, cancelled_late=1, booked=2)
    # The session cancelled in time counts for nothing.
    assert data.last_week == overview.WeekSessions(held=1, missed=1, cancelled_late=1, booked=0)


def test_checkin_response_rate(programme: Programme) -> None:
    build(programme)
    data = view(programme)
    assert (data.checkins_this_week.answered, data.checkins_this_week.asked) == (2, 3)
    assert data.checkins_this_week.percent == 67
    assert data.checkins_last_week.percent == 33


def test_feedback_summary(programme: Programme) -> None:
    build(programme)
    assert view(programme).feedback == overview.FeedbackSummary(answered=2, average=3.0, low=1)


def test_mentors_load(programme: Programme) -> None:
    build(programme)
    loads = {
        m.name: (m.students, m.sessions_this_week, m.notes_missing) for m in view(programme).mentors
    }
    # Camille: 3 students; this week Léa's no-show, Sam's late cancellation, Zoé's three.
    # Notes missing: Zoé's session that ended still booked. Omar: no students yet.
    assert loads == {"Camille Martin": (3, 5, 1), "Omar Diallo": (0, 0, 0)}
    assert view(programme).students == 3


def test_only_advisors_see_the_overview(programme: Programme) -> None:
    programme.clock.set(NOW)
    build(programme)
    for who in ("lea", "mentor", "validator"):
        assert programme.refused(who, "/overview") == "error.not_allowed"
    keys = [line.key for line in programme.ok("advisor", "/overview").lines]
    assert keys[0] == "overview.title"
    assert "overview.at_risk_line" in keys and "overview.mentor_line" in keys


def test_the_reply_stays_small_for_300_students(database: Database, clock: ManualClock) -> None:
    from tests.big_programme import at_risk_school

    programme = load_programme(database, clock)
    at_risk_school(programme, students=300, mentors=30)
    reply = programme.ok("advisor", "/overview")
    assert len(reply.lines) <= 40  # whatever the size: lists stop and point to /students
    keys = [line.key for line in reply.lines]
    assert keys.count("overview.at_risk_line") == 10
    assert "overview.at_risk_more" in keys and "overview.mentors_more" in keys
