"""A small demo programme: a mentor and a validator with availability, two students in two zones,
an advisor, and the example paths."""

from __future__ import annotations

from datetime import datetime, time
from importlib import resources

from bot.ports import UnitOfWork
from bot.services.paths import import_paths
from bot.services.roster import RosterReport, import_roster

MENTOR = "camille.martin@example.org"
VALIDATOR = "hugo.laurent@example.org"
STUDENT = "lea.dubois@example.org"

ROSTER = f"""\
email,name,role,timezone,locale,slack_id,discord_id,mentor_email,session_minutes,sessions_per_week,path
{MENTOR},Camille Martin,mentor,Europe/Paris,fr,,,,,,
{VALIDATOR},Hugo Laurent,validator,Europe/Paris,fr,,,,,,
nadia.benali@example.org,Nadia Benali,advisor,Europe/Paris,fr,,,,,,
{STUDENT},Léa Dubois,student,Europe/Paris,fr,,,{MENTOR},45,1,Développeur web
sam.taylor@example.org,Sam Taylor,student,America/Toronto,en,,,{MENTOR},30,1,Data analyst
"""

# (weekday, start, end) in the mentor's zone: Monday, Tuesday and Thursday mornings,
# Wednesday afternoon and Friday evening.
AVAILABILITY = [
    (0, time(9), time(12)),
    (1, time(9), time(12)),
    (2, time(14), time(18)),
    (3, time(9), time(12)),
    (4, time(17), time(20)),
]


def load_demo(uow: UnitOfWork, now: datetime) -> RosterReport | None:
    """Load the demo into an empty database; None when people already exist."""
    if uow.people.count():
        return None
    report = import_roster(uow, ROSTER, "Europe/Paris", "fr", now)
    assert report.applied, report.rejected
    mentor = uow.people.by_email(MENTOR)
    assert mentor is not None
    for weekday, starts, ends in AVAILABILITY:
        uow.availability.add_weekly(mentor.id, weekday, starts, ends, mentor.timezone)
    validator = uow.people.by_email(VALIDATOR)
    assert validator is not None
    for weekday, starts, ends in AVAILABILITY[:3]:
        uow.availability.add_weekly(validator.id, weekday, starts, ends, validator.timezone)
    for example in sorted((resources.files("bot") / "paths").iterdir(), key=lambda p: p.name):
        import_paths(uow, example.name, example.read_text(encoding="utf-8"))
    uow.commit()
    return report
