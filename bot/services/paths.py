"""Paths: import them from a file, and know where each student stands on theirs."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain import PathProject, ProjectStatus, StudentProject
from bot.errors import UserError
from bot.ports import UnitOfWork
from bot.replies import Text
from bot.text import ascii_int

OPEN = (
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.READY,
    ProjectStatus.DEFENSE_BOOKED,
    ProjectStatus.REWORK,
)


def parse_path_file(name: str, text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """YAML (`name:` and `projects:` of `code`/`title`) or CSV (`path,position,code,title`)."""
    if name.lower().endswith(".csv"):
        return _parse_csv(text)
    import yaml  # only here: importing path files is rare, serving never needs it

    try:
        document: Any = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)  # the parser's text is English: not shown
        line = mark.line + 1 if mark is not None else 1
        raise UserError("paths.bad_file", reason=Text("paths.bad_yaml", {"line": line})) from None
    documents = document if isinstance(document, list) else [document]
    return [_parse_yaml_path(d) for d in documents]


def _parse_yaml_path(document: Any) -> tuple[str, list[tuple[str, str]]]:
    if not isinstance(document, dict) or not isinstance(document.get("projects"), list):
        raise UserError("paths.bad_file", reason=Text("paths.bad_shape"))
    projects = []
    for position, item in enumerate(document["projects"], start=1):
        if not isinstance(item, dict) or not item.get("code") or not item.get("title"):
            reason = Text("paths.bad_project", {"position": position})
            raise UserError("paths.bad_file", reason=reason)
        projects.append((str(item["code"]), str(item["title"])))
    return _checked(str(document.get("name") or ""), projects)


def _parse_csv(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    paths: dict[str, list[tuple[int, str, str]]] = {}
    rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        try:
            position = ascii_int(str(row["position"]).strip())
            if position is None:
                raise ValueError
            paths.setdefault(row["path"].strip(), []).append(
                (position, row["code"].strip(), row["title"].strip())
            )
        except (KeyError, ValueError, AttributeError):
            reason = Text("paths.bad_row", {"line": line})
            raise UserError("paths.bad_file", reason=reason) from None
    return [
        _checked(name, [(code, title) for _, code, title in sorted(rows)])
        for name, rows in paths.items()
    ]


def _checked(name: str, projects: list[tuple[str, str]]) -> tuple[str, list[tuple[str, str]]]:
    if not name or not projects:
        raise UserError("paths.bad_file", reason=Text("paths.empty"))
    return name, projects


def import_paths(uow: UnitOfWork, filename: str, text: str) -> list[tuple[str, int]]:
    """Create or replace the paths a file describes; the caller commits. Refused when it would
    drop or change a project a student has begun: a student's history is never lost."""
    imported = []
    for name, projects in parse_path_file(filename, text):
        _keeps_history(uow, name, projects)
        uow.paths.replace(name, projects)
        imported.append((name, len(projects)))
    return imported


def _keeps_history(uow: UnitOfWork, name: str, projects: list[tuple[str, str]]) -> None:
    """Each begun project must keep its place and its code in the new version of the path."""
    before = {p.position: p.code for p in uow.paths.projects(name)}
    after = {position: code for position, (code, _) in enumerate(projects, start=1)}
    lost = sorted(
        {
            (p.position, before.get(p.position, "?"))
            for p in uow.paths.started_on(name)
            if after.get(p.position) != before.get(p.position)
        }
    )
    if lost:
        codes = ", ".join(f"{position}. {code}" for position, code in lost)
        raise UserError("paths.would_lose_history", path=name, projects=codes)


@dataclass(frozen=True)
class Standing:
    """A student's path: each project with its status, and the one they are working on."""

    projects: list[tuple[PathProject, StudentProject]]

    @property
    def current(self) -> tuple[PathProject, StudentProject] | None:
        return next(((p, s) for p, s in self.projects if s.status in OPEN), None)


def standing(uow: UnitOfWork, student_id: int, now: datetime) -> Standing:
    """Where the student stands: until anything is recorded, their first project is the one in
    progress (only read here: a command that merely reads, `/progress`, writes nothing)."""
    mentorship = uow.mentorships.for_student(student_id)
    projects = uow.paths.projects(mentorship.path) if mentorship else []
    statuses = {p.position: p for p in uow.paths.progress(student_id)}
    if projects and not statuses:
        first = projects[0].position
        statuses = {first: StudentProject(student_id, first, ProjectStatus.IN_PROGRESS)}
    return Standing(
        [
            (
                p,
                statuses.get(
                    p.position, StudentProject(student_id, p.position, ProjectStatus.NOT_STARTED)
                ),
            )
            for p in projects
        ]
    )
