"""A programme with a known fortnight of facts, built through the repositories, for the tests
of the overview, the trends, the exports and the privacy requests (each number is known)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.domain import (
    AlertCategory,
    CheckinAnswer,
    Decision,
    NewSession,
    SessionKind,
    SessionNotes,
    SessionStatus,
    Topic,
)
from bot.ports import UnitOfWork
from tests.conftest import Programme

# Wednesday 2 December 2026, 13:00 in Paris: week 49 (Mon 30 Nov – Sun 6 Dec) and week 48.
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def at(day: int, hour: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


@dataclass
class Facts:
    sessions: dict[str, int] = field(default_factory=dict)  # label -> session id
    alerts: dict[str, int] = field(default_factory=dict)


def build(programme: Programme) -> Facts:
    """Camille mentors Léa, Sam and Zoé; Omar has no students; Hugo validates.

    Week 48 (last): Léa held, Sam no-show, Zoé cancelled late, Zoé cancelled in time.
    Week 49 (this): Léa no-show, Sam cancelled late, Zoé held, Zoé still booked after it ended
    (notes missing), Zoé booked on Thursday; a defense held with Hugo (not mentoring).
    Next week: Léa booked on Monday. Notes on the held sessions and Léa's no-show; Léa's
    question.
    Check-ins: week 49 Léa 4 and Zoé 2 answered, Sam not; week 48 only Léa (3) answered.
    Alerts: Sam disengagement (2 h old, open), Zoé absence (2 days, acknowledged), Léa
    plagiarism (10 days, open), and a resolved one. Feedback: Léa 1 (flagged), Zoé 5.
    """
    p, facts = programme, Facts()
    people = {k: v.id for k, v in p.people.items()}
    mentor, validator = people["mentor"], people["validator"]
    plan = [
        ("lea_held", "lea", mentor, at(24, 9), SessionStatus.DONE, False),
        ("sam_noshow", "sam", mentor, at(25, 14), SessionStatus.NO_SHOW, False),
        ("zoe_late", "zoe", mentor, at(26, 9), SessionStatus.CANCELLED, True),
        ("zoe_early", "zoe", mentor, at(26, 10), SessionStatus.CANCELLED, False),
        ("lea_noshow", "lea", mentor, at(30, 8), SessionStatus.NO_SHOW, False),
        ("sam_late", "sam", mentor, at(1, 9, 12), SessionStatus.CANCELLED, True),
        ("zoe_held", "zoe", mentor, at(1, 10, 12), SessionStatus.DONE, False),
        ("zoe_unnoted", "zoe", mentor, at(2, 8, 12), SessionStatus.BOOKED, False),
        ("zoe_next", "zoe", mentor, at(3, 8, 12), SessionStatus.BOOKED, False),
        ("lea_defense", "lea", validator, at(1, 14, 12), SessionStatus.DONE, False),
        ("lea_future", "lea", mentor, at(7, 8, 12), SessionStatus.BOOKED, False),
    ]
    with p.database.uow() as uow:
        for label, student, host, starts, status, late in plan:
            kind = SessionKind.DEFENSE if label.endswith("defense") else SessionKind.MENTORING
            minutes = 30 if kind == SessionKind.DEFENSE else 45
            new = NewSession(
                people[student], host, kind, starts, starts + timedelta(minutes=minutes)
            )
            session = uow.sessions.add(new, starts - timedelta(days=3))
            facts.sessions[label] = session.id
            if status == SessionStatus.CANCELLED:
                uow.sessions.cancel(session.id, people[student], starts - timedelta(hours=2), late)
            elif status != SessionStatus.BOOKED:
                uow.sessions.set_status(session.id, status)
        _checkins(uow, people)
        _notes_and_questions(uow, people, facts)
        _alerts(uow, people, facts)
        _feedback(uow, facts)
        uow.commit()
    return facts


def _checkins(uow: UnitOfWork, people: dict[str, int]) -> None:
    students = [people["lea"], people["sam"], people["zoe"]]
    for week, sent, answers in (
        ((2026, 48), at(23, 8), {"lea": 3}),
        ((2026, 49), at(30, 8), {"lea": 4, "zoe": 2}),
    ):
        uow.checkins.create(week, students, sent)
        for who, confidence in answers.items():
            answer = CheckinAnswer(
                f"progress of {who}", confidence, f"blocked {who}", f"goal {who}"
            )
            uow.checkins.answer(people[who], week, answer, sent + timedelta(hours=3))


def _notes_and_questions(uow: UnitOfWork, people: dict[str, int], facts: Facts) -> None:
    mentor = people["mentor"]
    for label, attendance in (
        ("lea_held", "present"),
        ("zoe_held", "present"),
        ("lea_noshow", "absent"),
    ):
        session = uow.sessions.get(facts.sessions[label])
        assert session is not None
        notes = SessionNotes(
            session.id,
            attendance,
            mentor,
            session.ends_at + timedelta(minutes=5),
            progress=f"notes on {label}: good progress",
            improvements="more tests",
            goals="finish project 2",
        )
        uow.notes.save(notes)
    uow.questions.add(
        people["lea"],
        mentor,
        "Léa's private question about recursion",
        Topic.MENTOR,
        Decision.AGENDA,
        at(27, 9),
    )


def _alerts(uow: UnitOfWork, people: dict[str, int], facts: Facts) -> None:
    a = uow.alerts
    mentor = people["mentor"]
    sam = a.add(
        people["sam"],
        None,
        AlertCategory.DISENGAGEMENT,
        "2 check-ins missed",
        None,
        NOW - timedelta(hours=2),
    )
    zoe = a.add(
        people["zoe"],
        mentor,
        AlertCategory.ABSENCE,
        "Zoé at the hospital",
        "private: surgery",
        NOW - timedelta(days=2),
    )
    a.acknowledge(zoe.id, people["advisor"], NOW - timedelta(days=1))
    lea = a.add(
        people["lea"],
        mentor,
        AlertCategory.PLAGIARISM,
        "Léa copied project 2",
        "details about Léa",
        NOW - timedelta(days=10),
    )
    old = a.add(
        people["lea"], mentor, AlertCategory.DISRESPECT, "rude once", None, NOW - timedelta(days=9)
    )
    a.resolve(old.id, people["advisor"], NOW - timedelta(days=8), "talked to Léa")
    facts.alerts.update(sam=sam.id, zoe=zoe.id, lea=lea.id, resolved=old.id)


def _feedback(uow: UnitOfWork, facts: Facts) -> None:
    f, s = uow.feedback, uow.sessions
    lea = s.get(facts.sessions["lea_held"])
    f.ask(lea, lea.ends_at + timedelta(hours=1))
    f.answer(lea.id, 1, "Léa found it useless", lea.ends_at + timedelta(hours=2))
    f.mark_flagged(lea.id, lea.ends_at + timedelta(hours=2))
    zoe = s.get(facts.sessions["zoe_held"])
    f.ask(zoe, zoe.ends_at + timedelta(hours=1))
    f.answer(zoe.id, 5, None, zoe.ends_at + timedelta(hours=2))
