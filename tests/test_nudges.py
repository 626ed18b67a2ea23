"""The weekly onboarding nudge (issue 14): a mentor with no availability or no contact rule is
told once a week, in their language, which is missing and the command that sets it, until both
are set; a second run in the week queues nothing; the job's statements do not grow with the
number of mentors. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import insert

from bot import scheduled
from bot.clock import ManualClock
from bot.domain import Person
from bot.i18n import Renderer
from bot.outbox import OutboxWorker
from bot.replies import Text
from bot.services.roster import import_roster
from storage.database import Database
from storage.models import ContactDefaultRow, WeeklyAvailabilityRow
from tests.conftest import Programme, make_settings
from tests.recording import RecordingDeliverer
from tests.statements import Statements, counting
from tests.test_job_scale import HEADER, erase_all

# tests/conftest.py START is Monday 23 November 2026, 10:00 in Paris: the nudge's time there.
# Omar Diallo (Dakar, UTC) reaches 10:00 an hour later; Hugo Laurent is a validator only.


def nudged(programme: Programme, at: datetime | None = None) -> list[tuple[Person, str]]:
    """Run the job at `at` (default: the programme's clock), deliver: (mentor, rendered text)."""
    settings = make_settings("sqlite://")
    with programme.database.uow() as uow:
        scheduled.JOBS["nudges"](uow, at or programme.clock.now(), settings)
    deliverer = RecordingDeliverer()
    later = ManualClock(datetime(2100, 1, 1, tzinfo=UTC))
    OutboxWorker(programme.database.uow, later, deliverer).drain()
    return [
        (person, Renderer(person.locale, person.timezone).text(Text(n.key, n.params)))
        for person, n in deliverer.sent
        if n.key.startswith("nudge.")
    ]


def names(found: list[tuple[Person, str]]) -> list[str]:
    return sorted(person.name for person, _ in found)


def test_a_mentor_is_told_what_is_missing_once_a_week_until_both_are_set(
    programme: Programme,
) -> None:
    (camille, text), *others = nudged(programme)  # availability published, no contact rule
    assert others == [] and camille.name == "Camille Martin"
    assert "vous n’avez pas encore dit comment vos étudiants peuvent vous joindre" in text
    assert "/contact asynchrone" in text and "/contact aucune" in text
    assert "/availability" not in text
    assert nudged(programme) == []  # the same week: nothing new
    programme.clock.advance(hours=1)  # 10:00 in Dakar: Omar, who has set nothing
    ((omar, text),) = nudged(programme)
    assert omar.name == "Omar Diallo"
    assert "/availability ajouter lun-ven 09:00-12:00" in text and "/contact asynchrone" in text
    assert nudged(programme) == []

    programme.ok("mentor", "/contact async")  # Camille: both set now
    programme.ok("other.mentor", "/mentorbot language en")
    programme.ok("other.mentor", "/availability add mon 09:00-12:00")
    programme.clock.advance(days=7)  # next Monday, 11:00 in Paris and 10:00 in Dakar
    ((omar, text),) = nudged(programme)
    assert omar.name == "Omar Diallo"  # in English, only the contact rule left
    assert text.startswith("Hello Omar Diallo, you have not said yet how your students may reach")
    assert "/contact window mon-fri 18:00-19:00" in text and "/availability" not in text

    programme.ok("other.mentor", "/contact none")
    programme.clock.advance(days=7)
    assert nudged(programme) == []  # both mentors set up: no more nudges


def test_the_nudge_waits_for_the_mentors_own_time_and_says_each_missing_thing(
    programme: Programme,
) -> None:
    sunday = programme.clock.now() - timedelta(hours=12)  # Sunday night: week 47's has come
    assert names(nudged(programme, sunday)) == ["Camille Martin", "Omar Diallo"]
    programme.ok("other.mentor", "/contact window lun-ven 18:00-19:00")
    before = programme.clock.now() - timedelta(minutes=1)  # 09:59 in Paris, Monday
    assert nudged(programme, before) == []  # this week's has not come yet
    programme.clock.advance(hours=1)
    found = dict(nudged(programme))
    assert names(list(found.items())) == ["Camille Martin", "Omar Diallo"]
    omar = next(text for person, text in found.items() if person.name == "Omar Diallo")
    assert "vos étudiants ne peuvent pas encore réserver de séance" in omar
    assert "/availability ajouter lun-ven 09:00-12:00" in omar and "/contact" not in omar


def test_a_rule_for_each_student_is_as_good_as_a_default(programme: Programme) -> None:
    """Camille has no default rule but sets one for each of her three students: none is left
    without a rule, so no nudge; a fourth student without one brings it back."""
    for student in ("lea", "sam"):
        programme.ok("mentor", f"/contact async {student}@school.example")
    assert names(nudged(programme)) == ["Camille Martin"]  # Zoé still has no rule
    programme.clock.advance(days=7)
    programme.ok("mentor", "/contact none zoe@school.example")
    assert "Camille Martin" not in names(nudged(programme))
    roster = (
        HEADER
        + "\nnina@school.example,Nina Roy,student,Europe/Paris,fr,,,"
        + "mentor@school.example,30,1,Web\n"
    )
    with programme.database.uow() as uow:
        import_roster(uow, roster, "Europe/Paris", "fr", programme.clock.now(), welcome_new=False)
        uow.commit()
    programme.clock.advance(days=7)
    assert "Camille Martin" in names(nudged(programme))  # Nina has no rule, and no default


def test_a_paused_mentor_or_one_on_time_off_is_not_nudged(programme: Programme) -> None:
    programme.ok("advisor", "/pause mentor@school.example")
    assert nudged(programme) == []
    programme.ok("advisor", "/resume mentor@school.example")
    programme.ok("other.mentor", "/availability off 2026-11-23 2026-11-27")
    programme.clock.advance(hours=1)
    assert names(nudged(programme)) == ["Camille Martin"]


def test_a_mentor_welcomed_this_week_waits_for_the_next(database: Database) -> None:
    now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday 09:00 in Paris, before the nudge
    roster = HEADER + "\nnew@w.org,Nour Mentor,mentor,Europe/Paris,en,,,,,,\n"
    with database.uow() as uow:
        import_roster(uow, roster, "Europe/Paris", "fr", now)
        uow.commit()
    settings = make_settings("sqlite://")
    with database.uow() as uow:  # 10:00 the same Monday: the welcome already said it
        assert scheduled.JOBS["nudges"](uow, now + timedelta(hours=2), settings) == 0
    with database.uow() as uow:  # a week later, nothing set yet
        assert scheduled.JOBS["nudges"](uow, now + timedelta(days=7, hours=2), settings) == 1


# -- set-based: statements at two sizes -----------------------------------------------------

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Monday, after 10:00 in both zones below
ZONES = ("Europe/Paris", "America/Toronto")


def mentors(database: Database, count: int) -> None:
    """`count` mentors: a third with nothing set, a third with hours only, a third with a rule
    only; and as many set up entirely, who are never nudged."""
    rows = [
        f"m{n}@scale.example,M{n},mentor,{ZONES[n % 2]},{('fr', 'en')[n % 2]},,,,,,"
        for n in range(2 * count)
    ]
    with database.uow() as uow:
        report = import_roster(
            uow, "\n".join([HEADER, *rows]) + "\n", "UTC", "fr", NOW, welcome_new=False
        )
        assert report.applied, report.rejected[:3]
        uow.commit()
        people = uow.people.by_emails(report.created)
    ids = [people[f"m{n}@scale.example"].id for n in range(2 * count)]
    hours = [i for n, i in enumerate(ids) if n >= count or n % 3 == 1]
    rules = [i for n, i in enumerate(ids) if n >= count or n % 3 == 2]
    with database.engine.begin() as connection:
        connection.execute(
            insert(WeeklyAvailabilityRow),
            [
                {
                    "person_id": i,
                    "weekday": 0,
                    "starts": time(9),
                    "ends": time(12),
                    "timezone": "UTC",
                }
                for i in hours
            ],
        )
        connection.execute(
            insert(ContactDefaultRow), [{"mentor_id": i, "rule": "async"} for i in rules]
        )


def run(database: Database, at: datetime = NOW) -> tuple[int, Statements]:
    with database.uow() as uow, counting(database.engine) as sent:
        done = scheduled.JOBS["nudges"](uow, at, make_settings("sqlite://"))
    return done, sent


@pytest.mark.parametrize("sizes", [(200, 2_000)])
def test_the_nudges_job_sends_as_many_statements_for_many_mentors_as_for_few(
    database: Database, sizes: tuple[int, int]
) -> None:
    counts = []
    for size in sizes:
        erase_all(database)
        mentors(database, size)
        done, sent = run(database)
        assert done == size
        counts.append(sent)
        again, quiet = run(database, NOW + timedelta(hours=1))  # the same week, a later tick
        assert again == 0 and quiet.writes() == [], str(quiet)
    small, large = counts
    assert len(large) == len(small) <= 5, f"{sizes[0]}:\n{small}\n{sizes[1]}:\n{large}"
