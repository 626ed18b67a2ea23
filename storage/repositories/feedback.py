"""The post-session survey: which held sessions were asked about, and the answers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, not_, select

from bot.domain import Session, SessionKind, SessionStatus
from bot.feedback import SessionFeedback
from storage.dialects import insert
from storage.models import FeedbackRow, SessionRow
from storage.repositories import Repository
from storage.repositories.sessions import session_from_row


def _feedback(row: FeedbackRow) -> SessionFeedback:
    return SessionFeedback(
        row.session_id,
        row.student_id,
        row.host_id,
        row.asked_at,
        row.answered_at,
        row.score,
        row.comment,
        row.flagged_at,
    )


class FeedbackRepository(Repository):
    def held_unasked(self, since: datetime, until: datetime) -> list[Session]:
        """Mentoring sessions held (attendance recorded as held) that ended in the period and
        whose student was not asked yet."""
        asked = exists().where(FeedbackRow.session_id == SessionRow.id)
        rows = self.db.scalars(
            select(SessionRow)
            .where(
                SessionRow.kind == SessionKind.MENTORING.value,
                SessionRow.status == SessionStatus.DONE.value,
                SessionRow.ends_at >= since,
                SessionRow.ends_at < until,
                not_(asked),
            )
            .order_by(SessionRow.id)
        )
        return [session_from_row(r) for r in rows]

    def ask(self, session: Session, at: datetime) -> bool:
        """Record that the student was asked; False when they already were (run twice)."""
        statement = (
            insert(self.db, FeedbackRow)
            .values(
                session_id=session.id,
                student_id=session.student_id,
                host_id=session.host_id,
                asked_at=at,
            )
            .on_conflict_do_nothing()
            .returning(FeedbackRow.id)
        )
        return self.db.scalar(statement) is not None

    def get(self, session_id: int) -> SessionFeedback | None:
        row = self.db.scalar(select(FeedbackRow).where(FeedbackRow.session_id == session_id))
        return _feedback(row) if row else None

    def answer(self, session_id: int, score: int | None, comment: str | None, at: datetime) -> None:
        """A score, a comment, or both; what is not given keeps its earlier answer."""
        row = self.db.scalars(select(FeedbackRow).where(FeedbackRow.session_id == session_id)).one()
        row.answered_at = at
        if score is not None:
            row.score = score
        if comment is not None:
            row.comment = comment
        self.db.flush()

    def mark_flagged(self, session_id: int, at: datetime) -> None:
        row = self.db.scalars(select(FeedbackRow).where(FeedbackRow.session_id == session_id)).one()
        row.flagged_at = at
        self.db.flush()

    def of_student(self, student_id: int, limit: int = 6) -> list[SessionFeedback]:
        """The student's answered surveys, newest session first."""
        rows = self.db.scalars(
            select(FeedbackRow)
            .join(SessionRow, SessionRow.id == FeedbackRow.session_id)
            .where(FeedbackRow.student_id == student_id, FeedbackRow.answered_at.is_not(None))
            .order_by(SessionRow.starts_at.desc())
            .limit(limit)
        )
        return [_feedback(r) for r in rows]

    def asked_between(self, since: datetime, until: datetime) -> list[SessionFeedback]:
        rows = self.db.scalars(
            select(FeedbackRow)
            .where(FeedbackRow.asked_at >= since, FeedbackRow.asked_at < until)
            .order_by(FeedbackRow.asked_at)
        )
        return [_feedback(r) for r in rows]
