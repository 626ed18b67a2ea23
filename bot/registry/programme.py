"""The advisors' view of the programme, and the student's survey: `/overview`, `/export`,
`/person export|erase`, `/feedback`."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot import commands as c
from bot.errors import UserError
from bot.exports import KINDS
from bot.registry.model import ADVISOR, MENTOR, STUDENT, Action, Help, Kind, Option, Spec
from bot.registry.values import Values
from bot.registry.words import is_person, number
from bot.text import ascii_int
from bot.timeparse import fold, parse_date
from bot.vocabulary import Term, Vocabulary

# What a French reader types for each kind (folded: no accents), as the help shows them.
FRENCH_KINDS = {
    "sessions": ("seances",),
    "attendance": ("presences",),
    "alerts": ("alertes",),
    "checkins": ("points",),
    "feedback": ("avis",),
}
EXPORT_KINDS = Vocabulary(
    "export kinds",
    tuple(Term(kind, f"export.kind.{kind}", FRENCH_KINDS.get(kind, ())) for kind in KINDS),
    "usage.export",
)
CONFIRM_WORDS = frozenset({"confirm", "confirmer", "yes", "oui"})
COMMENT_WORDS = frozenset({"comment", "commentaire"})
PERSON = Option("person", Kind.PERSON, required=True)


def parse_overview(text: str, zone: ZoneInfo) -> c.Command:
    if text.strip():
        raise UserError("usage.overview")
    return c.ShowOverview()


def parse_export(text: str, zone: ZoneInfo) -> c.Command:
    """`KIND [FROM TO]` (dates YYYY-MM-DD, the programme's days)."""
    words = text.split()
    if len(words) not in (1, 3):
        raise UserError("usage.export")
    kind = EXPORT_KINDS.read(words[0])
    if len(words) == 1:
        return c.ExportFacts(kind)
    return c.ExportFacts(kind, parse_date(words[1]), parse_date(words[2]))


def _build_export(v: Values) -> c.Command:
    kind = v.choice("kind", EXPORT_KINDS)
    if kind is None:
        raise UserError("usage.export")
    first, last = v.day("first"), v.day("last")
    if (first is None) != (last is None):
        raise UserError("usage.export")
    return c.ExportFacts(kind, first, last)


def _person(text: str) -> c.PersonRef:
    if not is_person(text):
        raise UserError("usage.person")
    return c.PersonRef(text)


def parse_person_export(text: str, zone: ZoneInfo) -> c.Command:
    return c.ExportPerson(_person(text.strip()))


def parse_person_erase(text: str, zone: ZoneInfo) -> c.Command:
    """`PERSON [confirm]`: without the word, the advisor is asked first. `#ID` names the
    person by number (what the confirmation button carries)."""
    words = text.split()
    if not words or len(words) > 2 or (len(words) == 2 and fold(words[1]) not in CONFIRM_WORDS):
        raise UserError("usage.person")
    confirmed = len(words) == 2
    if words[0].startswith("#"):
        return c.ErasePerson(None, confirmed, number(words[0], "usage.person"))
    return c.ErasePerson(_person(words[0]), confirmed)


def parse_chart(text: str, zone: ZoneInfo) -> c.Command:
    """`PERSON`, or `#ID` (what the button under `/progress` carries)."""
    word = text.strip()
    if word.startswith("#"):
        return c.SendConfidenceChart(None, number(word, "usage.chart"))
    if not is_person(word):
        raise UserError("usage.chart")
    return c.SendConfidenceChart(c.PersonRef(word))


def _build_chart(v: Values) -> c.Command:
    student = v.person("student")
    if student is None:
        raise UserError("usage.chart")
    return c.SendConfidenceChart(student)


def _refuse_person(text: str, zone: ZoneInfo) -> c.Command:
    raise UserError("usage.person")


def _required_person(v: Values) -> c.PersonRef:
    person = v.person("person")
    if person is None:
        raise UserError("usage.person")
    return person


def parse_feedback(text: str, zone: ZoneInfo) -> c.Command:
    """`SESSION [SCORE] [COMMENT]`, or `SESSION comment TEXT` to add a comment alone."""
    words = text.split(maxsplit=2)
    if not words:
        raise UserError("usage.feedback")
    session = number(words[0], "usage.feedback")
    rest = words[1:]
    score = ascii_int(rest[0]) if rest else None
    if score is not None or (rest and fold(rest[0]) in COMMENT_WORDS):
        rest = rest[1:]  # the score, or the word that says a comment follows
    comment = " ".join(rest).strip() or None
    return c.AnswerFeedback(session, score, comment)


def _build_feedback(v: Values) -> c.Command:
    session = v.required_number("session", "usage.feedback")
    return c.AnswerFeedback(session, v.number("score", "feedback.bad_score"), v.text("comment"))


SPECS = (
    Spec(
        "overview",
        parse_overview,
        ADVISOR,
        {c.ShowOverview: "overview.show"},
        lambda v: c.ShowOverview(),
        help=(Help("help.overview"),),
    ),
    Spec(
        "export",
        parse_export,
        ADVISOR,
        {c.ExportFacts: "exports.export"},
        _build_export,
        (
            Option("kind", Kind.CHOICE, key="export_kind", required=True, vocabulary=EXPORT_KINDS),
            Option("first", Kind.DATE, key="export_from"),  # `from` is no parameter name
            Option("last", Kind.DATE, key="export_to"),
        ),
        help=(Help("help.export"),),
        usage="sessions|attendance|alerts|checkins|feedback [YYYY-MM-DD YYYY-MM-DD]",
    ),
    Spec(
        "person",
        _refuse_person,
        ADVISOR,
        actions=(
            Action(
                "export",
                "person_export",
                parse_person_export,
                lambda v: c.ExportPerson(_required_person(v)),
                (PERSON,),
                ("exporter",),
                {c.ExportPerson: "privacy.export_person"},
            ),
            Action(
                "erase",
                "person_erase",
                parse_person_erase,
                lambda v: c.ErasePerson(_required_person(v), bool(v.flag("confirm"))),
                (PERSON, Option("confirm", Kind.BOOL, key="erase_confirm")),
                ("effacer",),
                {c.ErasePerson: "privacy.erase_person"},
            ),
        ),
        help=(Help("help.person"),),
        usage="export @person · erase @person [confirm]",
    ),
    Spec(
        "chart",
        parse_chart,
        MENTOR | ADVISOR,
        {c.SendConfidenceChart: "progress_chart.send"},
        _build_chart,
        (Option("student", Kind.PERSON, required=True),),
        help=(Help("help.chart"),),
        usage="@student",
    ),
    Spec(
        "feedback",
        parse_feedback,
        STUDENT,
        {c.AnswerFeedback: "feedback.answer"},
        _build_feedback,
        (
            Option("session", Kind.INT, required=True),
            Option("score", Kind.INT, key="feedback_score", minimum=1, maximum=5),
            Option("comment", Kind.LONG_TEXT, key="feedback_comment", max_length=1000),
        ),
        help=(Help("help.feedback"),),
        usage="SESSION [1-5] [COMMENT]",
    ),
)
