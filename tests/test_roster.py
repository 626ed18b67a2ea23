"""Roster import: idempotent, reports each row, and never half-imports a bad file."""

from __future__ import annotations

import pytest

from bot.domain import Role
from bot.errors import UserError
from bot.services.roster import RosterReport, import_roster
from storage.database import Database
from tests.conftest import ROSTER

HEADER = ROSTER.splitlines()[0]


def run_import(database: Database, text: str) -> RosterReport:
    with database.uow() as uow:
        report = import_roster(uow, text, "Europe/Paris", "fr")
        if report.applied:
            uow.commit()
    return report


def count_people(database: Database) -> int:
    with database.uow() as uow:
        return uow.people.count()


def test_import_creates_people_roles_identities_and_mentorships(database: Database) -> None:
    report = run_import(database, ROSTER)
    assert len(report.created) == 7 and not report.updated and not report.rejected
    with database.uow() as uow:
        omar = uow.people.by_email("other.mentor@school.example")
        lea = uow.people.by_email("LEA@school.example")
        assert omar is not None and lea is not None
        assert omar.roles == {Role.MENTOR, Role.VALIDATOR}
        assert omar.timezone == "Africa/Dakar"
        assert uow.identities.person_for("slack", "U0LEA") == lea
        mentorship = uow.mentorships.for_student(lea.id)
        assert mentorship is not None
        assert (mentorship.session_minutes, mentorship.sessions_per_week) == (45, 1)


def test_reimporting_the_same_file_changes_nothing(database: Database) -> None:
    run_import(database, ROSTER)
    again = run_import(database, ROSTER)
    assert not again.created and not again.updated and len(again.unchanged) == 7
    assert count_people(database) == 7


def test_changed_rows_are_reported_as_updated(database: Database) -> None:
    run_import(database, ROSTER)
    changed = ROSTER.replace(
        "U0LEA,,mentor@school.example,45", "U0LEA,,other.mentor@school.example,30"
    )
    report = run_import(database, changed)
    assert report.updated == ["lea@school.example"]
    with database.uow() as uow:
        lea = uow.people.by_email("lea@school.example")
        omar = uow.people.by_email("other.mentor@school.example")
        assert lea and omar
        mentorship = uow.mentorships.for_student(lea.id)
        assert mentorship and mentorship.mentor_id == omar.id and mentorship.session_minutes == 30


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("not-an-email,X,student,,,,,mentor@school.example,30,1,", "roster.bad_email"),
        ("a@school.example,,mentor,,,,,,,,", "roster.missing_name"),
        ("a@school.example,A,wizard,,,,,,,,", "roster.bad_role"),
        ("a@school.example,A,mentor,Mars/Olympus,,,,,,,", "roster.bad_timezone"),
        ("a@school.example,A,mentor,,de,,,,,,", "roster.bad_locale"),
        ("a@school.example,A,mentor,,,nope,,,,,", "roster.bad_slack_id"),
        ("a@school.example,A,mentor,,,,12ab,,,,", "roster.bad_discord_id"),
        ("a@school.example,A,student,,,,,,30,1,", "roster.student_needs_mentor"),
        ("a@school.example,A,student,,,,,mentor@school.example,0,1,", "roster.bad_minutes"),
        ("a@school.example,A,student,,,,,mentor@school.example,30,9,", "roster.bad_per_week"),
        ("a@school.example,A,student,,,,,ghost@school.example,30,1,", "roster.unknown_mentor"),
        (
            "lea@school.example,Léa again,student,,,,,mentor@school.example,30,1,",
            "roster.duplicate_email",
        ),
    ],
)
def test_one_bad_row_rejects_the_whole_file_with_its_reason(
    database: Database, row: str, reason: str
) -> None:
    report = run_import(database, ROSTER + row + "\n")
    assert not report.applied
    assert [(line, r.key) for line, _, r in report.rejected] == [(9, reason)]
    assert count_people(database) == 0


def test_a_file_without_the_required_columns_is_refused(database: Database) -> None:
    with pytest.raises(UserError) as error, database.uow() as uow:
        import_roster(uow, "mail,fullname\nx@y.z,X\n", "Europe/Paris", "fr")
    assert error.value.key == "roster.missing_columns"
    assert error.value.params["columns"] == "email, name, role"


def test_defaults_fill_missing_zone_and_language(database: Database) -> None:
    run_import(database, HEADER + "\nsolo@school.example,Solo,advisor,,,,,,,,\n")
    with database.uow() as uow:
        solo = uow.people.by_email("solo@school.example")
    assert solo and (solo.timezone, solo.locale) == ("Europe/Paris", "fr")
