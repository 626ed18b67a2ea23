"""Roster changes (issue 14): a student given another mentor loses the old mentor's upcoming
sessions (both told) and the new mentor is greeted; a path re-imported shorter or reordered
never drops a student's begun project."""

from __future__ import annotations

import pytest

from bot.domain import ContactRule, ProjectStatus, SessionStatus
from bot.errors import UserError
from bot.services.paths import import_paths
from bot.services.roster import import_roster
from tests.conftest import ROSTER, START, Programme
from tests.test_booking import booked_id, session_of
from tests.test_paths import WEB, load_web_path
from tests.test_pauses import delivered

MOVED = ROSTER.replace(
    "lea@school.example,Léa Dubois,student,Europe/Paris,fr,U0LEA,,mentor@school.example",
    "lea@school.example,Léa Dubois,student,Europe/Paris,fr,U0LEA,,other.mentor@school.example",
)


def reimport(programme: Programme, roster: str) -> list[str]:
    with programme.database.uow() as uow:
        report = import_roster(uow, roster, "Europe/Paris", "fr", programme.clock.now())
        assert report.applied, report.rejected
        uow.commit()
    return report.reassigned


def test_a_new_mentor_cancels_the_old_mentors_sessions_and_everyone_is_told(
    programme: Programme,
) -> None:
    programme.ok("mentor", f"/contact none {'lea@school.example'}")
    session_id = booked_id(programme, "lea", "/book 2026-11-26 09:00")
    kept = booked_id(programme, "sam", "/book 2026-11-26 04:00")
    delivered(programme)
    assert reimport(programme, MOVED) == ["lea@school.example"]
    assert session_of(programme, session_id).status == SessionStatus.CANCELLED
    assert session_of(programme, kept).status == SessionStatus.BOOKED
    told = delivered(programme)
    assert ("Léa Dubois", "reassign.session_cancelled_student") in told
    assert ("Camille Martin", "reassign.session_cancelled_mentor") in told
    assert ("Camille Martin", "reassign.old_mentor") in told
    assert ("Léa Dubois", "reassign.student") in told
    assert ("Omar Diallo", "reassign.new_mentor") in told
    with programme.database.uow() as uow:
        lea = programme.people["lea"].id
        assert uow.mentorships.for_student(lea).mentor_id == programme.people["other.mentor"].id  # type: ignore[union-attr]
        # The old mentor's rule for her is gone: the new mentor chooses.
        assert uow.contact.effective(lea).rule == ContactRule.UNSET
    # Importing the same roster again changes nothing and tells nobody.
    assert reimport(programme, MOVED) == []
    assert delivered(programme) == []


def test_a_shorter_path_that_would_drop_a_begun_project_is_refused(programme: Programme) -> None:
    load_web_path(programme)
    with programme.database.uow() as uow:  # her first project begun
        uow.paths.set_status(programme.people["lea"].id, 1, ProjectStatus.IN_PROGRESS, START)
        uow.commit()
    shorter = WEB.split("  - code: W2")[0]
    with programme.database.uow() as uow, pytest.raises(UserError) as refused:
        reordered = WEB.replace("code: W1", "code: W0")
        import_paths(uow, "web.yaml", reordered)
    assert refused.value.key == "paths.would_lose_history"
    assert refused.value.params["projects"] == "1. W1"
    with programme.database.uow() as uow:
        import_paths(uow, "web.yaml", shorter)  # W2 and W3 nobody has begun: fine
        uow.commit()
        assert [p.code for p in uow.paths.projects("Web")] == ["W1"]
        import_paths(uow, "web.yaml", WEB + "  - code: W4\n    title: Projet 4\n")
        uow.commit()
        assert len(uow.paths.projects("Web")) == 4
