"""Alerts and what advisors do with them: `/escalate`, `/alerts`, `/pause`, `/resume`."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot import commands as c
from bot.domain import AlertCategory, AlertStatus, PersonStatus
from bot.errors import UserError
from bot.registry.model import (
    ADVISOR,
    MENTOR,
    Action,
    Field,
    Form,
    Help,
    Kind,
    Option,
    Spec,
)
from bot.registry.values import Values
from bot.registry.words import is_person, number
from bot.timeparse import fold
from bot.vocabulary import ALERT_SCOPES, CATEGORIES, alert_category

DETAILS_SEPARATOR = " -- "
ALERT = Option("alert", Kind.INT, required=True)


def parse_escalate(text: str, zone: ZoneInfo) -> c.Command:
    parts = text.strip().split(maxsplit=2)
    if len(parts) < 3:
        raise UserError("usage.escalate")
    category = alert_category(parts[0])
    if not is_person(parts[1]):
        raise UserError("error.bad_person", value=parts[1])
    summary, _, details = parts[2].partition(DETAILS_SEPARATOR)
    if not summary.strip():
        raise UserError("usage.escalate")
    return c.RaiseAlert(category, c.PersonRef(parts[1]), summary.strip(), details.strip() or None)


def _build_escalate(v: Values) -> c.Command:
    """The alert as typed: a ` -- ` in the summary is text, not the private part's start."""
    student = v.person("student")
    if student is None:
        raise UserError("error.bad_person", value="")
    category = alert_category(v.raw("category"))
    return c.RaiseAlert(category, student, v.raw("summary").strip(), v.text("details"))


def _listing(text: str, zone: ZoneInfo) -> c.Command:
    """`/alerts [open|new|acknowledged|resolved|all] [CATEGORY] [@student] [mentor @person]
    [page N]`, in any order; `student #12`, `mentor #5` name people by number (buttons)."""
    words = text.split()
    found: dict[str, object] = {}
    while words:
        key, value = _filter(words.pop(0), words)
        if key in found:
            raise UserError("usage.alerts")
        found[key] = value
    scope = found.pop("scope", "open")
    return c.ListAlerts(state=SCOPE_STATES.get(str(scope)), **found)  # type: ignore[arg-type]


SCOPE_STATES = {
    "new": AlertStatus.OPEN,
    "acknowledged": AlertStatus.ACKNOWLEDGED,
    "resolved": AlertStatus.RESOLVED,
}
SCOPE_WORDS = {state: word for word, state in SCOPE_STATES.items()}
MENTOR_WORDS = ("mentor", "mentore")
STUDENT_WORDS = ("student", "etudiant", "etudiante")
PAGE_WORDS = ("page", "p")


def _filter(word: str, rest: list[str]) -> tuple[str, object]:
    """One filter of `/alerts`: the word, and the next one when the word names it."""
    folded = fold(word)
    if folded in MENTOR_WORDS + STUDENT_WORDS and rest:
        return _named(folded in MENTOR_WORDS, rest.pop(0))
    if folded in PAGE_WORDS and rest:
        return "page", number(rest.pop(0), "usage.alerts")
    if is_person(word):
        return "person", c.PersonRef(word)
    if (scope := ALERT_SCOPES.lookup(word)) is not None:
        return ("include_closed", True) if scope == "all" else ("scope", scope)
    if CATEGORIES.lookup(word) is not None:
        return "category", alert_category(word)
    raise UserError("usage.alerts")


def _named(mentor: bool, word: str) -> tuple[str, object]:
    """`mentor @person`, `mentor #5`, `student #12`."""
    if word.startswith("#"):
        return ("mentor_id" if mentor else "student_id"), number(word, "usage.alerts")
    if not is_person(word):
        raise UserError("error.bad_person", value=word)
    return ("mentor" if mentor else "person"), c.PersonRef(word)


def _build_listing(v: Values) -> c.Command:
    scope = v.choice("scope", ALERT_SCOPES)
    category = v.choice("category", CATEGORIES)
    return c.ListAlerts(
        include_closed=scope == "all",
        person=v.person("student"),
        state=SCOPE_STATES.get(scope or ""),
        category=AlertCategory(category) if category else None,
        mentor=v.person("mentor"),
        page=v.number("page", "usage.alerts") or 1,
    )


def _resolve(text: str, zone: ZoneInfo) -> c.Command:
    first, _, note = text.partition(" ")
    return c.ResolveAlert(number(first, "usage.alerts"), note.strip())


def _numbered(name: str, aliases: tuple[str, ...], command: type, handler: str) -> Action:
    """`/alerts ack N`, `/alerts details N`: an alert number and nothing else."""
    return Action(
        name,
        f"alerts_{name}",
        lambda text, zone: command(number(text, "usage.alerts")),
        lambda v: command(v.required_number("alert", "usage.alerts")),
        (ALERT,),
        aliases,
        {command: handler},
    )


def _status(name: str, status_: PersonStatus) -> Spec:
    """`/pause PERSON`, `/resume PERSON`."""

    def parse(text: str, zone: ZoneInfo) -> c.Command:
        words = text.split()
        if len(words) != 1 or not is_person(words[0]):
            raise UserError("usage.pause")
        return c.SetPersonStatus(c.PersonRef(words[0]), status_)

    def build(v: Values) -> c.Command:
        student = v.person("student")
        if student is None:
            raise UserError("usage.pause")
        return c.SetPersonStatus(student, status_)

    student = Option("student", Kind.PERSON, required=True)
    shown = (Help("help.pause"),) if status_ is PersonStatus.PAUSED else ()
    return Spec(
        name,
        parse,
        ADVISOR,
        {c.SetPersonStatus: "status.set_status"},
        build,
        (student,),
        help=shown,
        usage="@person",
    )


SPECS = (
    Spec(
        "escalate",
        parse_escalate,
        MENTOR,
        {c.RaiseAlert: "alerts.escalate"},
        _build_escalate,
        (
            Option("category", Kind.CHOICE, required=True, vocabulary=CATEGORIES),
            Option("student", Kind.PERSON, required=True),
            Option("summary", Kind.TEXT, required=True, max_length=300),
            Option("details", Kind.LONG_TEXT, max_length=2000),
        ),
        help=(Help("help.escalate"),),
        usage="CATEGORY @student SUMMARY [-- private details]",
        form=Form(
            "escalate",
            (Field("category"), Field("student"), Field("summary"), Field("details")),
            refusals={
                "escalate.unknown_category": "category",
                "error.bad_person": "student",
                "error.unknown_person_ref": "student",
                "error.not_your_student": "student",
                "usage.escalate": "summary",
            },
        ),
    ),
    Spec(
        "alerts",
        _listing,
        ADVISOR,
        actions=(
            Action(
                "list",
                "alerts_list",
                _listing,
                _build_listing,
                (
                    Option("scope", Kind.CHOICE, vocabulary=ALERT_SCOPES),
                    Option("student", Kind.PERSON, key="student_filter"),
                    Option("category", Kind.CHOICE, key="category_filter", vocabulary=CATEGORIES),
                    Option("mentor", Kind.PERSON, key="mentor_filter"),
                    Option("page", Kind.INT, minimum=1, maximum=10_000),
                ),
                handles={c.ListAlerts: "alert_list.list_alerts"},
            ),
            _numbered(
                "ack", ("acknowledge", "prendre", "pris"), c.AcknowledgeAlert, "alerts.acknowledge"
            ),
            Action(
                "resolve",
                "alerts_resolve",
                _resolve,
                lambda v: c.ResolveAlert(
                    v.required_number("alert", "usage.alerts"), v.raw("note").strip()
                ),
                (ALERT, Option("note", Kind.LONG_TEXT, required=True)),
                ("resoudre", "close", "clore"),
                {c.ResolveAlert: "alerts.resolve_alert"},
                Form(
                    "resolve",
                    (Field("note", max_length=1000),),
                    ("alert",),
                    {"alert.resolve_needs_note": "note"},
                    quote=True,
                ),
            ),
            _numbered("details", (), c.ShowAlertDetails, "alerts.show_details"),
        ),
        help=(Help("help.alerts"),),
        usage="[open|new|acknowledged|resolved|all] [CATEGORY] [@student] [mentor @person]"
        " [page N] · ack N · resolve N NOTE · details N",
    ),
    _status("pause", PersonStatus.PAUSED),
    _status("resume", PersonStatus.ACTIVE),
)
