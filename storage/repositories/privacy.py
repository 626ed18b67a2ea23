"""A person's data on request (every row that names them), their erasure, and the retention
sweep of old free text.

The export follows the schema rather than a list: every table with a column referring to a
person, then every table referring to those rows (a session's notes, an alert's history), so a
table added later is exported without anyone remembering to. Secrets (hashes, tokens) are not.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    and_,
    cast,
    delete,
    false,
    or_,
    select,
    update,
)

from bot.domain import PersonStatus
from bot.privacy_records import Erasure, PersonData, erased_email, erased_name
from storage.models import (
    AlertEventRow,
    AlertRow,
    Base,
    CalendarFeedRow,
    CheckinRow,
    CorrectionRow,
    ErasureRow,
    FeedbackRow,
    IdentityRow,
    LinkCodeRow,
    MeetingRoomRow,
    NotificationRow,
    PersonRow,
    QuestionRow,
    RoutingExampleRow,
    SessionNotesRow,
    SessionRow,
    StudentProjectRow,
    TimeOffRow,
    WeeklyAvailabilityRow,
)
from storage.repositories import Repository

SECRET_MARKS = ("hash", "token")
ERASED_PAYLOAD = {"key": "privacy.erased_message", "params": {}, "choices": [], "files": []}


def _refers(table: Table, parent: str) -> list[Any]:
    return [
        c for c in table.columns if any(fk.column.table.name == parent for fk in c.foreign_keys)
    ]


def _plain(table: Table, row: Any) -> dict[str, object]:
    values: dict[str, Any] = {k: v for k, v in row.items() if not any(m in k for m in SECRET_MARKS)}
    if table.name == "outbox" and isinstance(values.get("payload"), dict):
        payload = dict(values["payload"])
        payload["files"] = [
            {"name": f.get("name"), "type": f.get("type")} for f in payload.get("files", [])
        ]
        values["payload"] = payload
    return values


class PrivacyRepository(Repository):
    def person_data(self, person_id: int) -> PersonData:
        data: PersonData = {}
        ids: dict[str, list[int]] = {}
        for table in Base.metadata.sorted_tables:  # parents before the rows that refer to them
            condition = self._about(table, person_id, ids)
            if condition is None:
                continue
            rows = self.db.execute(select(table).where(condition)).mappings().all()
            if rows:
                data[table.name] = [_plain(table, r) for r in rows]
            if "id" in table.columns:
                ids[table.name] = [int(r["id"]) for r in rows]
        return data

    @staticmethod
    def _about(
        table: Table, person_id: int, ids: dict[str, list[int]]
    ) -> ColumnElement[bool] | None:
        if table.name == "people":
            return table.c.id == person_id
        clauses = [c == person_id for c in _refers(table, "people")]
        for parent, parent_ids in ids.items():
            if parent != "people" and parent_ids:
                clauses += [c.in_(parent_ids) for c in _refers(table, parent)]
        return or_(false(), *clauses) if clauses else None

    def erase_person(self, person_id: int, zone: str) -> dict[str, int]:
        """Remove what identifies the person and what they or others wrote about them; keep
        the rows (sessions, scores, confidences) that anonymous counts are made of."""
        counts = {
            "identities": self._delete(IdentityRow, IdentityRow.person_id == person_id),
            "link_codes": self._delete(LinkCodeRow, LinkCodeRow.person_id == person_id),
            "availability": self._delete(
                WeeklyAvailabilityRow, WeeklyAvailabilityRow.person_id == person_id
            )
            + self._delete(TimeOffRow, TimeOffRow.person_id == person_id),
            **self._erase_texts(person_id),
            "messages": self._erase_messages(person_id),
            **self._erase_calendars(person_id),
        }
        person = self.db.get_one(PersonRow, person_id)
        person.name, person.email = erased_name(person_id), erased_email(person_id)
        person.status, person.timezone = PersonStatus.ERASED.value, zone
        self.db.flush()
        return counts

    def _erase_texts(self, person_id: int) -> dict[str, int]:
        sessions = select(SessionRow.id).where(
            or_(SessionRow.student_id == person_id, SessionRow.host_id == person_id)
        )
        questions = select(QuestionRow.id).where(
            or_(QuestionRow.student_id == person_id, QuestionRow.mentor_id == person_id)
        )
        alerts = select(AlertRow.id).where(AlertRow.student_id == person_id)
        return {
            "questions": self._set(
                QuestionRow, QuestionRow.id.in_(questions), text="", answer=None
            ),
            "routing_examples": self._delete(
                RoutingExampleRow,
                or_(
                    RoutingExampleRow.question_id.in_(questions),
                    RoutingExampleRow.by_person_id == person_id,
                ),
            ),
            "checkins": self._set(
                CheckinRow,
                CheckinRow.student_id == person_id,
                progress=None,
                blockers=None,
                goal=None,
            ),
            "notes": self._set(
                SessionNotesRow,
                SessionNotesRow.session_id.in_(sessions),
                progress=None,
                improvements=None,
                goals=None,
            ),
            "projects": self._set(
                StudentProjectRow, StudentProjectRow.student_id == person_id, rework_items=None
            ),
            "alerts": self._set(
                AlertRow,
                AlertRow.id.in_(alerts),
                summary="",
                details=None,
                resolution_note=None,
                **self._alert_extras(),
            ),
            "alert_events": self._set(AlertEventRow, AlertEventRow.alert_id.in_(alerts), note=None),
            "feedback": self._set(FeedbackRow, FeedbackRow.student_id == person_id, comment=None),
        }

    def _erase_calendars(self, person_id: int) -> dict[str, int]:
        """Their own meeting room (a personal link), their feed, the room on the sessions they
        hosted, and what corrections of their sessions say in words."""
        sessions = select(SessionRow.id).where(
            or_(SessionRow.student_id == person_id, SessionRow.host_id == person_id)
        )
        notes = and_(CorrectionRow.session_id.in_(sessions), CorrectionRow.field == "notes")
        return {
            "meeting_rooms": self._delete(MeetingRoomRow, MeetingRoomRow.person_id == person_id),
            "calendar_feeds": self._delete(CalendarFeedRow, CalendarFeedRow.person_id == person_id),
            "rooms": self._set(SessionRow, SessionRow.host_id == person_id, join_url=None),
            "corrections": self._set(
                CorrectionRow, CorrectionRow.session_id.in_(sessions), reason=""
            )
            + self._set(CorrectionRow, notes, before=None, after=""),
        }

    @staticmethod
    def _alert_extras() -> dict[str, object]:
        """Columns other features add to alerts that hold text about the student."""
        return {"summary_texts": None} if "summary_texts" in AlertRow.__table__.columns else {}

    def _erase_messages(self, person_id: int) -> int:
        """Their unsent messages go; sent ones, and advisors' posts naming them, keep only the
        fact that a message was sent."""
        person = self.db.get_one(PersonRow, person_id)
        unsent = self._delete(
            NotificationRow,
            NotificationRow.recipient_id == person_id,
            NotificationRow.sent_at.is_(None),
        )
        naming = [NotificationRow.recipient_id == person_id]
        for value in {person.name, person.email}:
            if value:
                naming.append(self._payload_mentions(value))
        return unsent + self._set(NotificationRow, or_(*naming), payload=ERASED_PAYLOAD)

    def _payload_mentions(self, value: str) -> ColumnElement[bool]:
        """The payload's JSON text contains the value (as JSON writes it: escaped)."""
        escaped = json.dumps(value)[1:-1]
        text = cast(NotificationRow.payload, String)
        return or_(text.contains(escaped, autoescape=True), text.contains(value, autoescape=True))

    def erase_older_than(self, cutoff: datetime) -> dict[str, int]:
        """Free text written before the cutoff, whoever it is about."""
        return {
            "questions": self._set(
                QuestionRow,
                QuestionRow.created_at < cutoff,
                or_(QuestionRow.text != "", QuestionRow.answer.is_not(None)),
                text="",
                answer=None,
            ),
            "routing_examples": self._delete(
                RoutingExampleRow, RoutingExampleRow.created_at < cutoff
            ),
            "checkins": self._set(
                CheckinRow,
                CheckinRow.sent_at < cutoff,
                or_(
                    CheckinRow.progress.is_not(None),
                    CheckinRow.blockers.is_not(None),
                    CheckinRow.goal.is_not(None),
                ),
                progress=None,
                blockers=None,
                goal=None,
            ),
            "notes": self._set(
                SessionNotesRow,
                SessionNotesRow.recorded_at < cutoff,
                or_(
                    SessionNotesRow.progress.is_not(None),
                    SessionNotesRow.improvements.is_not(None),
                    SessionNotesRow.goals.is_not(None),
                ),
                progress=None,
                improvements=None,
                goals=None,
            ),
            "alerts": self._set(
                AlertRow,
                AlertRow.resolved_at < cutoff,
                or_(AlertRow.details.is_not(None), AlertRow.resolution_note.is_not(None)),
                details=None,
                resolution_note=None,
            ),
            "corrections": self._set(
                CorrectionRow,
                CorrectionRow.corrected_at < cutoff,
                CorrectionRow.reason != "",
                reason="",
            ),
            "feedback": self._set(
                FeedbackRow,
                FeedbackRow.answered_at < cutoff,
                FeedbackRow.comment.is_not(None),
                comment=None,
            ),
        }

    def record(self, erasure: Erasure) -> None:
        self.db.add(
            ErasureRow(
                kind=erasure.kind,
                person_id=erasure.person_id,
                erased_by_id=erasure.erased_by_id,
                erased_by=erasure.erased_by,
                erased_at=erasure.erased_at,
                counts=dict(erasure.counts),
            )
        )
        self.db.flush()

    def _set(self, model: type, *where: ColumnElement[bool], **values: object) -> int:
        result = self.db.execute(
            update(model)
            .where(*where)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def _delete(self, model: type, *where: ColumnElement[bool]) -> int:
        result = self.db.execute(
            delete(model).where(*where).execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)
