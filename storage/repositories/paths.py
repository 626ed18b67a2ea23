"""Paths (parcours) and their projects, and where each student stands on them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select

from bot.domain import PathProject, ProjectStatus, StudentProject
from storage.models import MentorshipRow, PathProjectRow, StudentProjectRow
from storage.repositories import Repository


class PathsRepository(Repository):
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

    def started_on(self, path: str) -> list[StudentProject]:
        """Every project a student of this path has begun (in progress or beyond)."""
        rows = self.db.scalars(
            select(StudentProjectRow)
            .join(MentorshipRow, MentorshipRow.student_id == StudentProjectRow.student_id)
            .where(MentorshipRow.path == path, StudentProjectRow.status != "not_started")
            .order_by(StudentProjectRow.student_id, StudentProjectRow.position)
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
