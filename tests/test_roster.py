"""Roster import: idempotent, reports each row, and never half-imports a bad file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.clock import ManualClock
from bot.core import Core
from bot.domain import Role
from bot.errors import UserError
from bot.services.paths import import_paths
from bot.services.roster import RosterReport, import_roster, unlink_identity
from bot.text import decode_file
from storage.database import Database
from storage.models import NotificationRow, PersonRow
from storage.models.base import as_utc
from tests.conftest import ROSTER, START, make_settings
from tests.test_console import mentorbot

HEADER = ROSTER.splitlines()[0]


def run_import(database: Database, text: str) -> RosterReport:
    with database.uow() as uow:
        report = import_roster(uow, text, "Europe/Paris", "fr", START)
        if report.applied:
            uow.commit()
    return report


def count_people(database: Database) -> int:
    with database.uow() as uow:
        return uow.people.count()


def test_the_import_dates_what_it_writes_by_the_clock_it_is_given(
    database: Database, clock: ManualClock
) -> None:
    clock.advance(days=3, hours=5)  # not the wall clock's time, nor START
    with database.uow() as uow:
        assert import_roster(uow, ROSTER, "Europe/Paris", "fr", clock.now()).applied
        uow.commit()
    with database.engine.connect() as connection:
        people = connection.execute(select(PersonRow.created_at)).scalars().all()
        welcomes = connection.execute(
            select(NotificationRow.created_at, NotificationRow.next_attempt_at)
        ).all()
    assert people and {as_utc(at) for at in people} == {clock.now()}
    assert welcomes and {as_utc(at) for row in welcomes for at in row} == {clock.now()}


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
        import_roster(uow, "mail,fullname\nx@y.z,X\n", "Europe/Paris", "fr", START)
    assert error.value.key == "roster.missing_columns"
    assert error.value.params["columns"] == "email, name, role"


def test_defaults_fill_missing_zone_and_language(database: Database) -> None:
    run_import(database, HEADER + "\nsolo@school.example,Solo,advisor,,,,,,,,\n")
    with database.uow() as uow:
        solo = uow.people.by_email("solo@school.example")
    assert solo and (solo.timezone, solo.locale) == ("Europe/Paris", "fr")


# --- Identities never change owner silently --------------------------------------------------


def slack_owner(database: Database, slack_id: str) -> str | None:
    with database.uow() as uow:
        person = uow.identities.person_for("slack", slack_id)
        return person.email if person else None


def reasons(report: RosterReport) -> list[tuple[int, str]]:
    return [(line, reason.key) for line, _, reason in report.rejected]


@pytest.mark.parametrize(
    "row",
    [
        "new@school.example,New,mentor,,,U0LEA,,,,,",
        "new@school.example,New,mentor,,,,123456789012345678,,,,",
    ],
)
def test_two_rows_with_the_same_account_are_refused(database: Database, row: str) -> None:
    text = ROSTER.replace("U0LEA,,", "U0LEA,123456789012345678,") + row + "\n"
    report = run_import(database, text)
    assert reasons(report) == [(9, "roster.duplicate_identity")]
    assert report.rejected[0][2].params["line"] == 6
    assert count_people(database) == 0


def test_a_reimport_cannot_give_an_account_to_someone_else(database: Database) -> None:
    run_import(database, ROSTER)
    stolen = ROSTER.replace("U0LEA,,", ",,").replace("en,,,mentor", "en,U0LEA,,mentor")
    report = run_import(database, stolen)
    assert reasons(report) == [(7, "roster.identity_taken")]
    assert report.rejected[0][2].params["owner"] == "lea@school.example"
    assert slack_owner(database, "U0LEA") == "lea@school.example"


def test_a_person_keeps_their_account_until_it_is_unlinked(database: Database) -> None:
    run_import(database, ROSTER)
    changed = ROSTER.replace("U0LEA,,", "U0LEA2,,")
    assert reasons(run_import(database, changed)) == [(6, "roster.identity_differs")]
    with database.uow() as uow:
        assert unlink_identity(uow, "LEA@school.example", "slack") == "U0LEA"
        uow.commit()
    assert slack_owner(database, "U0LEA") is None
    assert run_import(database, changed).updated == ["lea@school.example"]
    assert slack_owner(database, "U0LEA2") == "lea@school.example"


def test_unlink_then_reimport_moves_the_account_on_purpose(database: Database) -> None:
    run_import(database, ROSTER)
    moved = ROSTER.replace("U0LEA,,", ",,").replace("en,,,mentor", "en,U0LEA,,mentor")
    with database.uow() as uow:
        unlink_identity(uow, "lea@school.example", "slack")
        uow.commit()
    assert run_import(database, moved).applied
    assert slack_owner(database, "U0LEA") == "sam@school.example"


@pytest.mark.parametrize(
    ("email", "key"),
    [
        ("ghost@school.example", "roster.unknown_email"),
        ("sam@school.example", "roster.nothing_to_unlink"),
    ],
)
def test_unlink_says_why_it_cannot(database: Database, email: str, key: str) -> None:
    run_import(database, ROSTER)
    with pytest.raises(UserError) as error, database.uow() as uow:
        unlink_identity(uow, email, "slack")
    assert error.value.key == key


def test_an_email_lookup_does_not_take_an_account_from_its_owner(
    database: Database, clock: ManualClock
) -> None:
    run_import(database, ROSTER)
    core = Core(database.uow, clock, make_settings("sqlite://"))
    assert core.link_by_email("slack", "U0LEA", "sam@school.example") is None
    assert slack_owner(database, "U0LEA") == "lea@school.example"
    linked = core.link_by_email("slack", "U0SAM", "sam@school.example")
    assert linked is not None and linked.email == "sam@school.example"


# --- Rows that cannot make sense -------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("me@school.example,Me,student;mentor,,,,,me@school.example,30,1,", "roster.own_mentor"),
        ("a@school.example,A,student,,,,,mentor@school.example,³0,1,", "roster.bad_minutes"),
        ("a@school.example,A,student,,,,,mentor@school.example,30,²,", "roster.bad_per_week"),
        ("a@school.example,A,student,,,,,mentor@school.example,٣٠,1,", "roster.bad_minutes"),
        ("a@school.example,A,mentor,,,,١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦,,,,", "roster.bad_discord_id"),
        ("a@school.example," + "A" * 201 + ",mentor,,,,,,,,", "roster.too_long"),
    ],
)
def test_more_bad_rows_are_refused_by_line(database: Database, row: str, reason: str) -> None:
    report = run_import(database, ROSTER + row + "\n")
    assert reasons(report) == [(9, reason)]


def test_a_path_no_path_has_is_refused_once_paths_exist(database: Database) -> None:
    with database.uow() as uow:
        import_paths(uow, "p.csv", "path,position,code,title\nWeb,1,W1,One\nData,1,D1,One\n")
        uow.commit()
    report = run_import(database, ROSTER.replace(",Data\n", ",Dota\n"))
    assert reasons(report) == [(7, "roster.unknown_path")]
    assert report.rejected[0][2].params == {"value": "Dota", "known": "Data, Web"}
    assert run_import(database, ROSTER.replace(",Web\n", ",wéb\n")).applied
    with database.uow() as uow:
        lea = uow.people.by_email("lea@school.example")
        assert lea is not None
        mentorship = uow.mentorships.for_student(lea.id)
    assert mentorship is not None and mentorship.path == "Web"


def test_control_characters_in_a_roster_are_cleaned(database: Database) -> None:
    report = run_import(database, ROSTER.replace("Léa Dubois", "Léa\x00 Du\x1bbois\x85"))
    assert report.applied, report.rejected
    with database.uow() as uow:
        lea = uow.people.by_email("lea@school.example")
    assert lea is not None and lea.name == "Léa Dubois"


def test_a_file_csv_cannot_read_is_refused_with_a_reason(database: Database) -> None:
    text = HEADER + '\na@school.example,"' + "x" * 200_000 + '",mentor,,,,,,,,\n'
    with pytest.raises(UserError) as error, database.uow() as uow:
        import_roster(uow, text, "Europe/Paris", "fr", START)
    assert error.value.key == "roster.unreadable"


# --- What spreadsheets save ------------------------------------------------------------------


def as_spreadsheet(delimiter: str) -> str:
    rows = [line.split(",") for line in ROSTER.splitlines()]
    # A multi-role cell is quoted when the delimiter is the role separator.
    return "\r\n".join(
        delimiter.join(f'"{cell}"' if delimiter in cell else cell for cell in row) for row in rows
    )


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [
        (",", "utf-8"),
        (",", "utf-8-sig"),
        (";", "cp1252"),
        (";", "latin-1"),
        (";", "utf-8-sig"),
        ("\t", "utf-16"),  # Excel's "Unicode text": UTF-16 LE with a BOM, tab-separated
        ("\t", "utf-16-le"),
        (";", "utf-16-be"),
    ],
)
def test_spreadsheet_exports_import_the_same_people(
    database: Database, delimiter: str, encoding: str
) -> None:
    data = as_spreadsheet(delimiter).encode(encoding)
    report = run_import(database, decode_file(data))
    assert report.applied, report.rejected
    assert len(report.created) == 7
    with database.uow() as uow:
        omar = uow.people.by_email("other.mentor@school.example")
        zoe = uow.people.by_email("zoe@school.example")
    assert omar is not None and omar.roles == {Role.MENTOR, Role.VALIDATOR}
    assert zoe is not None and zoe.name == "Zoé Petit"
    assert slack_owner(database, "U0LEA") == "lea@school.example"


def test_header_names_are_read_whatever_their_case_and_spacing(database: Database) -> None:
    header = "; ".join(name.upper() for name in HEADER.split(","))
    text = header + "\n" + "\n".join(line.replace(",", ";") for line in ROSTER.splitlines()[1:3])
    report = run_import(database, text.replace("mentor;validator", '"mentor;validator"'))
    assert report.applied and len(report.created) == 2, report.rejected


def test_a_binary_file_is_refused_for_its_missing_columns(database: Database) -> None:
    with pytest.raises(UserError) as error, database.uow() as uow:
        binary = decode_file(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\xff\xfe")
        import_roster(uow, binary, "UTC", "fr", START)
    assert error.value.key == "roster.missing_columns"


def test_the_command_line_imports_a_french_excel_file_and_unlinks(tmp_path: Path) -> None:
    """`mentorbot roster import` reads the bytes a spreadsheet saved; `unlink` frees an account."""
    (tmp_path / "promo.csv").write_bytes(as_spreadsheet(";").encode("cp1252"))
    run = mentorbot(tmp_path, "roster", "import", "promo.csv")
    assert run.returncode == 0, run.stderr
    assert "créations\u202f: 7," in run.stdout
    stolen = as_spreadsheet(",").replace("U0LEA,,", ",,").replace("en,,,mentor", "en,U0LEA,,mentor")
    (tmp_path / "again.csv").write_bytes(stolen.encode("utf-16"))
    refused = mentorbot(tmp_path, "roster", "import", "again.csv")
    assert refused.returncode == 1
    assert (
        "ligne 7 (sam@school.example)\u202f: le compte slack «\u202fU0LEA\u202f» appartient à "
        in refused.stdout
    )
    unlinked = mentorbot(tmp_path, "roster", "unlink", "lea@school.example", "slack")
    assert unlinked.returncode == 0, unlinked.stderr
    assert "«\u202fU0LEA\u202f» n’est plus relié à lea@school.example" in unlinked.stdout
    assert mentorbot(tmp_path, "roster", "import", "again.csv").returncode == 0
    again = mentorbot(tmp_path, "roster", "unlink", "lea@school.example", "slack")
    assert again.returncode == 1 and "n’a aucun compte slack relié" in again.stderr
