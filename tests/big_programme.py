"""A school-sized programme (hundreds of students, dozens of mentors, every student at risk)
for the tests that the advisors' views stay within Slack's and Discord's limits."""

from __future__ import annotations

from datetime import timedelta

from bot.domain import AlertCategory, Person
from bot.services.roster import import_roster
from tests.conftest import ROSTER, Programme

HEADER = ROSTER.splitlines()[0]


def at_risk_school(programme: Programme, *, students: int, mentors: int) -> list[Person]:
    """`students` students over `mentors` mentors, each with an open disengagement alert whose
    summary is long (the worst case for a message's length)."""
    lines = [HEADER]
    lines += [
        f"m{m}@big.example,Mentor Number {m},mentor,Europe/Paris,fr,,,,,," for m in range(mentors)
    ]
    lines += [
        f"s{s}@big.example,Student With A Rather Long Name {s},student,Europe/Paris,fr,,,"
        f"m{s % mentors}@big.example,30,1,Web"
        for s in range(students)
    ]
    now = programme.clock.now()
    with programme.database.uow() as uow:
        report = import_roster(uow, "\n".join(lines) + "\n", "Europe/Paris", "fr", now)
        assert report.applied, report.rejected[:3]
        people = list(uow.people.by_emails(report.created).values())
        summary = "Missed three check-ins in a row and no session booked for two weeks " * 3
        for n, person in enumerate(p for p in people if p.email.startswith("s")):
            raised = now - timedelta(hours=n)
            uow.alerts.add(person.id, None, AlertCategory.DISENGAGEMENT, summary, None, raised)
        uow.commit()
    return people
