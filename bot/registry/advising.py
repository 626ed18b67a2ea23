"""The advisors' list of students: `/students [at-risk|paused|unlinked] [mentor PERSON]
[path NAME] [page N]` (mentors get their own students)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot import commands as c
from bot.errors import UserError
from bot.registry.model import ADVISOR, MENTOR, Help, Kind, Option, Spec
from bot.registry.values import Values
from bot.registry.words import is_person, number
from bot.timeparse import fold
from bot.vocabulary import STUDENT_LISTS

MENTOR_WORDS = ("mentor", "mentore")
PATH_WORDS = ("path", "parcours")
PAGE_WORDS = ("page", "p")


def parse_students(text: str, zone: ZoneInfo) -> c.Command:
    words = text.split()
    found: dict[str, object] = {}
    while words:
        key, value = _filter(words.pop(0), words)
        if key in found:
            raise UserError("usage.students")
        found[key] = value
    return c.ListStudents(**found)  # type: ignore[arg-type]


def _filter(word: str, rest: list[str]) -> tuple[str, object]:
    folded = fold(word)
    if folded in MENTOR_WORDS and rest:
        mentor = rest.pop(0)
        if mentor.startswith("#"):  # by number, as a next-page button says
            return "mentor_id", number(mentor, "usage.students")
        if not is_person(mentor):
            raise UserError("error.bad_person", value=mentor)
        return "mentor", c.PersonRef(mentor)
    if folded in PATH_WORDS and rest:
        return "path", rest.pop(0)
    if folded in PAGE_WORDS and rest:
        return "page", number(rest.pop(0), "usage.students")
    if (which := STUDENT_LISTS.lookup(word)) is not None:
        return "which", which
    raise UserError("usage.students")


def _build(v: Values) -> c.Command:
    return c.ListStudents(
        v.choice("which", STUDENT_LISTS),
        v.person("mentor"),
        v.text("path"),
        page=v.number("page", "usage.students") or 1,
    )


SPECS = (
    Spec(
        "students",
        parse_students,
        MENTOR | ADVISOR,
        {c.ListStudents: "students.list_students"},
        _build,
        (
            Option("which", Kind.CHOICE, key="students_which", vocabulary=STUDENT_LISTS),
            Option("mentor", Kind.PERSON, key="mentor_filter"),
            Option("path", Kind.TEXT, key="path_filter", max_length=200),
            Option("page", Kind.INT, minimum=1, maximum=10_000),
        ),
        help=(Help("help.students"),),
        usage="[at-risk|paused|unlinked] [mentor @person] [path NAME] [page N]",
    ),
)
