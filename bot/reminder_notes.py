"""What a session reminder says: the day before, the briefing and buttons; just before, a line.

The far reminder (a day ahead, by default) carries what each side prepares from (the mentor's
briefing) and the buttons to move or cancel while there is time; the near one (15 minutes)
only says the session is about to start, with its link: nobody reads a briefing then."""

from __future__ import annotations

from dataclasses import replace

from bot.commands import CancelSession, MoveSession
from bot.domain import Notification, Person, Session, SessionKind, SessionNotes
from bot.replies import Choice, Text
from bot.safety import neutralise
from bot.services import invites

SOON_MINUTES = 60  # a reminder this close to the start is the short one
PREVIOUS = "previous"  # the briefing's entry for the last session's notes


def reminder_notes(
    session: Session,
    offset: int,
    people: dict[int, Person],
    briefings: dict[int, dict[str, object]],
) -> list[Notification]:
    key = f"reminder:{session.id}:{session.starts_at:%Y%m%dT%H%M}:{offset}"
    student, host = people.get(session.student_id), people.get(session.host_id)
    if student is None or host is None:
        return []
    if offset <= SOON_MINUTES:
        notes = [
            _soon(key, session, student, host, offset),
            _soon(key, session, host, student, offset),
        ]
    else:
        notes = _ahead(key, session, student, host, briefings)
    return [invites.with_join(n, session) for n in notes]


def previous(notes: SessionNotes | None) -> dict[str, object]:
    """The last session's notes and goals, as both sides prepare the next one from them."""
    if notes is None:
        return {}
    params = {"progress": neutralise(notes.progress or ""), "goals": neutralise(notes.goals or "")}
    return {PREVIOUS: Text("week.previous_notes", params)}


def _with_previous(note: Notification, last: object) -> Notification:
    """The reminder, then what was said and agreed last time (when notes were recorded)."""
    if last is None:
        return note
    params = {"message": Text(note.key, note.params), "previous": last}
    return replace(note, key="week.with_previous", params=params)


def _soon(key: str, session: Session, reader: Person, other: Person, offset: int) -> Notification:
    params = {"id": session.id, "with": other.name, "minutes": offset}
    return Notification(f"{key}:{reader.id}", reader.id, "week.reminder_soon", params)


def _ahead(
    key: str,
    session: Session,
    student: Person,
    host: Person,
    briefings: dict[int, dict[str, object]],
) -> list[Notification]:
    base = {"id": session.id, "when": session.starts_at}
    mentoring = session.kind == SessionKind.MENTORING  # a defense has no briefing, no moves
    briefing = dict(briefings.get(session.student_id, {})) if mentoring else {}
    last = briefing.pop(PREVIOUS, None)
    choices = _changes(session) if mentoring else ()
    notes = [
        Notification(
            f"{key}:{student.id}",
            student.id,
            "reminder.student",
            {**base, "with": host.name},
            choices=choices,
        ),
        Notification(
            f"{key}:{host.id}",
            host.id,
            f"reminder.host.{session.kind.value}",
            {**base, "with": student.name, **briefing},
            choices=choices,
        ),
    ]
    return [_with_previous(note, last) for note in notes]


def _changes(session: Session) -> tuple[Choice, ...]:
    """Move or cancel while there is time; the command itself applies the notice rules."""
    return (
        Choice(Text("choice.move", {"id": session.id}), MoveSession(session.id, None)),
        Choice(Text("choice.cancel", {"id": session.id}), CancelSession(session.id)),
    )
