"""Paths (parcours), their projects, and each student's progress on them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot.domain import PathProject, ProjectStatus, StudentProject


class Paths(Protocol):
    def replace(self, path: str, projects: Sequence[tuple[str, str]]) -> None: ...
    def projects(self, path: str) -> list[PathProject]: ...
    def names(self) -> list[str]: ...
    def progress(self, student_id: int) -> list[StudentProject]: ...
    def started_on(self, path: str) -> list[StudentProject]: ...
    def set_status(
        self,
        student_id: int,
        position: int,
        status: ProjectStatus,
        at: datetime,
        rework_items: str | None = None,
    ) -> None: ...
