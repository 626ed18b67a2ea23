"""Repositories for the evaluation side: paths and their projects, students' progress, notes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session as OrmSession

from bot.domain import PathProject, ProjectStatus, SessionNotes, StudentProject
from storage.models import (
    PathProjectRow,
    SessionNotesRow,
    SessionRow,
    StudentProjectRow,
)


class PathsRepository:
    def __init__(self, db: OrmSession) -> None:
        self.db = db

    def replace(self, path: str, projects: Sequence[tuple[str, str]]) -> None:
        """The path's projects become exactly these, in this order (re-importing is harmless)."""
        for position, (code, title) in enumerate(projects, start=1):
            row = self.db.get(PathProjectRow, (path, position))
            if row is None:
                row = PathProjectRow(path=path, position=position)
                self.db.add(row)
            row.code, row.title = code, title
        self.db.execute(
            delete(PathProjectRow).where(
                PathProjectRow.path == path, PathProjectRow.position > len(projects)
            )
        )
        self.db.flush()

    def projects(self, path: str) -> list[PathProject]:
        rows = self.db.scalars(
            select(PathProjectRow)
            .where(PathProjectRow.path == path)
            .order_by(PathProjectRow.position)
        )
        return [PathProject(r.path, r.position, r.code, r.title) for r in rows]

    def names(self) -> list[str]:
        return list(self.db.scalars(select(PathProjectRow.path).distinct()))

    def progress(self, student_id: int) -> list[StudentProject]:
        rows = self.db.scalars(
            select(StudentProjectRow)
            .where(StudentProjectRow.student_id == student_id)
            .order_by(StudentProjectRow.position)
        )
        return [
            StudentProject(r.student_id, r.position, ProjectStatus(r.status), r.rework_items)
            for r in rows
        ]

    def set_status(
        self,
        student_id: int,
        position: int,
        status: ProjectStatus,
        at: datetime,
        rework_items: str | None = None,
    ) -> None:
        row = self.db.get(StudentProjectRow, (student_id, position))
        if row is None:
            row = StudentProjectRow(student_id=student_id, position=position)
            self.db.add(row)
        row.status, row.rework_items, row.updated_at = status.value, rework_items, at
        self.db.flush()


def _notes(row: SessionNotesRow) -> SessionNotes:
    return SessionNotes(
        session_id=row.session_id,
        attendance=row.attendance,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
        progress=row.progress,
        improvements=row.improvements,
        goals=row.goals,
        ready_for_defense=row.ready_for_defense,
        outcome=row.outcome,
    )


class NotesRepository:
    def __init__(self, db: OrmSession) -> None:
        self.db = db

    def save(self, notes: SessionNotes) -> None:
        row = self.db.get(SessionNotesRow, notes.session_id)
        if row is None:
            row = SessionNotesRow(session_id=notes.session_id)
            self.db.add(row)
        row.attendance, row.recorded_by, row.recorded_at = (
            notes.attendance,
            notes.recorded_by,
            notes.recorded_at,
        )
        row.progress, row.improvements, row.goals = notes.progress, notes.improvements, notes.goals
        row.ready_for_defense, row.outcome = notes.ready_for_defense, notes.outcome
        self.db.flush()

    def latest(self, student_id: int, before: datetime | None = None) -> SessionNotes | None:
        """The student's most recent mentoring notes with content (before a time, if given)."""
        query = (
            select(SessionNotesRow)
            .join(SessionRow, SessionRow.id == SessionNotesRow.session_id)
            .where(
                SessionRow.student_id == student_id,
                SessionRow.kind == "mentoring",
                SessionNotesRow.progress.is_not(None),
            )
            .order_by(SessionRow.starts_at.desc())
            .limit(1)
        )
        if before is not None:
            query = query.where(SessionRow.starts_at < before)
        row = self.db.scalar(query)
        return _notes(row) if row else None

    def attendance(self, student_id: int, limit: int = 8) -> list[str]:
        """The last attendances recorded for the student's mentoring sessions, newest first."""
        rows = self.db.scalars(
            select(SessionNotesRow.attendance)
            .join(SessionRow, SessionRow.id == SessionNotesRow.session_id)
            .where(SessionRow.student_id == student_id, SessionRow.kind == "mentoring")
            .order_by(SessionRow.starts_at.desc())
            .limit(limit)
        )
        return list(rows)

    def held_and_missed(self, since: datetime, until: datetime) -> dict[int, tuple[int, int]]:
        """Per host: sessions held and missed (no-show, late cancellation) in the period."""
        rows = self.db.execute(
            select(
                SessionRow.host_id, SessionRow.status, SessionRow.late_cancellation, func.count()
            )
            .where(SessionRow.starts_at >= since, SessionRow.starts_at < until)
            .group_by(SessionRow.host_id, SessionRow.status, SessionRow.late_cancellation)
        )
        counts: dict[int, tuple[int, int]] = {}
        for host, status, late, count in rows:
            held, missed = counts.get(host, (0, 0))
            if status == "done":
                held += count
            elif status == "no_show" or (status == "cancelled" and late):
                missed += count
            counts[host] = (held, missed)
        return counts
