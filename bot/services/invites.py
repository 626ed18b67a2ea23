"""A booking, a move, a cancellation or a new room tells both parties, each with an invite.

Every message goes through the outbox with its `.ics` attached (so it is sent once, with its
file), rendered for its reader: their language for the summary, their zone for the times. The
invite's UID is the session's for life and its SEQUENCE the session's revision, so a calendar
that has the event updates it, or removes it on METHOD:CANCEL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from bot import ical
from bot.attachments import Attachment
from bot.context import Context
from bot.domain import Notification, Person, Session, SessionStatus
from bot.i18n import Renderer
from bot.meeting import join_url
from bot.ports import UnitOfWork
from bot.replies import Reply, Text


def announce(ctx: Context, session_id: int, told: Notification | None, change: str) -> None:
    """`told` is the message for one party (the other of whoever acted), now with its invite;
    every other party gets `invite.yours.<change>` (booked, moved, cancelled, room)."""
    session = ctx.uow.sessions.get(session_id)
    if session is None:
        return
    for reader in _parties(ctx.uow, session, told.recipient_id if told else None):
        if told is not None and reader.id == told.recipient_id:
            message = told
        else:
            message = Notification(
                idempotency_key=f"invite:{session.id}:{session.ical_sequence}:{reader.id}",
                recipient_id=reader.id,
                key=f"invite.yours.{change}",
                params={"id": session.id, "when": session.starts_at},
            )
        attachment = invite_file(ctx.uow, session, reader, ctx.now)
        ctx.notify(with_join(replace(message, attachments=(attachment,)), session))


def with_join(message: Notification, session: Session) -> Notification:
    """The join link under a message about a live session that has one."""
    if not session.join_url or not session.is_live:
        return message
    text = Text("meeting.with_link", {"message": Text(message.key, message.params)})
    return replace(message, key=text.key, params={**text.params, "url": session.join_url})


def invite_file(uow: UnitOfWork, session: Session, reader: Person, now: datetime) -> Attachment:
    cancelled = session.status == SessionStatus.CANCELLED
    method = ical.CANCEL if cancelled else ical.REQUEST
    content = ical.invite(event(uow, session, reader), method, reader.timezone, now)
    suffix = "-cancelled" if cancelled else ""
    media_type = f"{ical.MEDIA_TYPE}; method={method}"
    return Attachment(f"session-{session.id}{suffix}.ics", media_type, content)


def event(
    uow: UnitOfWork, session: Session, reader: Person, people: Mapping[int, Person] | None = None
) -> ical.CalendarEvent:
    """The session as this reader's calendar shows it; `people` (by id) saves a feed of many
    sessions a query per session."""
    if people is None:
        people = uow.people.get_many((session.host_id, session.student_id))
    host, student = people.get(session.host_id), people.get(session.student_id)
    host_party = _party(host)
    student_party = _party(student)
    other = host_party if reader.id == session.student_id else student_party
    renderer = Renderer(reader.locale, reader.timezone)
    details = {"with": other.name, "id": str(session.id)}  # an id, not a number to format
    join = (
        Text("ical.join", {"url": session.join_url}) if session.join_url else Text("ical.no_room")
    )
    return ical.CalendarEvent(
        uid=session.ical_uid,
        sequence=session.ical_sequence,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=renderer.text(Text(f"ical.summary.{session.kind.value}", details)),
        description=renderer.text(Text("ical.description", {**details, "join": join})),
        join_url=session.join_url,
        organizer=host_party,
        attendee=student_party,
        cancelled=session.status == SessionStatus.CANCELLED,
    )


def _party(person: Person | None) -> ical.Party:
    return ical.Party(person.name, person.email) if person else ical.Party("?", "unknown@invalid")


def _parties(uow: UnitOfWork, session: Session, first: int | None) -> list[Person]:
    """Both sides, the one `first` names (the other of whoever acted) before the other."""
    ids = sorted((session.student_id, session.host_id), key=lambda i: i != first)
    people = (uow.people.get(person_id) for person_id in ids)
    return [p for p in people if p is not None]


def room_for(ctx: Context, host_id: int) -> str | None:
    """The join link of a session booked now with this host (kept by every move)."""
    return join_url(ctx.uow.calendars.meeting_room(host_id), ctx.settings.meeting_url_template)


def confirmed(session: Session, key: str, **params: object) -> Reply:
    """A confirmation, with the join link under it when the session has one."""
    lines = [Text(key, params)]
    if session.join_url:
        lines.append(Text("meeting.join_line", {"url": session.join_url}))
    return Reply(tuple(lines))


def cancelled_invite(
    uow: UnitOfWork, session_id: int, person_id: int, now: datetime
) -> tuple[Attachment, ...]:
    """The METHOD:CANCEL invite of a session the programme just cancelled, for one party, so
    their calendar drops it (a pause, a leave, a new mentor)."""
    session, reader = uow.sessions.get(session_id), uow.people.get(person_id)
    if session is None or reader is None:
        return ()
    return (invite_file(uow, session, reader, now),)
