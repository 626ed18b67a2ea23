"""The closed word lists commands accept, once for every adapter: each term's value (what the
core gets), its label (a catalogue key, shown in French or English on a choice, a menu or a
form), and the other words people may type for it in either language.

The text parser reads typed words with `lookup`; Discord's choices and Slack's menus list
`terms`; both come from here, so a synonym added here is accepted everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import AlertCategory, ContactRule, Topic
from bot.errors import UserError
from bot.timeparse import WEEKDAY_NAMES, fold


@dataclass(frozen=True)
class Term:
    value: str  # what the core receives (an enum member, or a plain word)
    label: str  # catalogue key of what people read
    words: tuple[str, ...] = ()  # other accepted spellings, folded (lower case, no accents)


@dataclass(frozen=True)
class Vocabulary:
    name: str
    terms: tuple[Term, ...]
    refusal: str = ""  # the user error for a word outside the list ({value} is the word)
    translated: bool = True  # False: the labels are the text itself (languages, in their own)

    def lookup(self, word: str) -> str | None:
        """The value a typed word stands for, in either language; None if it is not one."""
        folded = fold(word)
        for term in self.terms:
            if folded == fold(term.value) or folded in term.words:
                return term.value
        return None

    def read(self, word: str) -> str:
        """`lookup`, or this vocabulary's refusal."""
        value = self.lookup(word)
        if value is None:
            raise UserError(self.refusal, value=word)
        return value

    def values(self) -> tuple[str, ...]:
        return tuple(term.value for term in self.terms)


def _terms(label: str, *values: str | tuple[str, tuple[str, ...]]) -> tuple[Term, ...]:
    """Terms labelled `label.format(value)`; a value given with its other words as a pair."""
    pairs = [value if isinstance(value, tuple) else (value, ()) for value in values]
    return tuple(Term(value, label.format(value), words) for value, words in pairs)


WEEKDAYS = Vocabulary(
    "weekdays",
    tuple(Term(names[0], f"day.{names[0]}", names[1:]) for names in WEEKDAY_NAMES.values()),
    "error.bad_weekday",
)
RULES = Vocabulary(
    "contact rules",
    (
        Term(ContactRule.NONE, "discord.rule_none", ("aucun", "aucune")),
        Term(ContactRule.ASYNC, "discord.rule_async", ("asynchrone",)),
        Term(ContactRule.WINDOW, "discord.rule_window", ("fenetre", "creneau")),
    ),
    "usage.contact",
)
CATEGORIES = Vocabulary(
    "alert categories",
    (
        Term(AlertCategory.ABSENCE, "category.absence"),
        Term(AlertCategory.CIRCUMSTANCES, "category.circumstances", ("circonstances",)),
        Term(AlertCategory.DISENGAGEMENT, "category.disengagement", ("desengagement",)),
        Term(AlertCategory.DISRESPECT, "category.disrespect", ("irrespect",)),
        Term(AlertCategory.PLAGIARISM, "category.plagiarism", ("plagiat",)),
    ),
    "escalate.unknown_category",
)
ATTENDANCE = Vocabulary(
    "attendance",
    # `late` is a late arrival (the session was held); a student's late cancellation is no
    # attendance word: it is the student's own `/cancel` inside the notice.
    _terms(
        "attendance.choice.{}",
        "present",
        ("absent", ("no-show",)),
        ("late", ("retard", "en-retard")),
    ),
    "usage.notes",
)
OUTCOMES = Vocabulary(
    "defense outcomes",
    _terms(
        "discord.outcome_{}",
        ("validated", ("valide", "validee")),
        ("rework", ("retravailler", "a retravailler")),
    ),
    "usage.defense",
)
CORRECTIONS = Vocabulary(
    "corrections",
    (*ATTENDANCE.terms, *OUTCOMES.terms, Term("notes", "correct.choice.notes")),
    "usage.correct",
)
CONFIRM = frozenset({"confirm", "confirmer", "oui", "yes"})  # `/cancel N confirm`
CONFIDENCE = Vocabulary(
    "confidence",
    _terms("slack.checkin.confidence_{}", "1", "2", "3", "4", "5"),
    "checkin.bad_confidence",
)
# The French words for each topic (folded), as the French `/route` usage shows them.
_FRENCH_TOPICS = {
    Topic.MENTOR: ("projet",),
    Topic.RESOURCES: ("ressources",),
    Topic.EXTRA_SESSION: ("seance-en-plus", "seance_en_plus"),
    Topic.ADMIN: ("administratif",),
    Topic.ACCOMMODATION: ("amenagement", "amenagements"),
}
TOPICS = Vocabulary(
    "question topics",
    tuple(Term(t, f"ask.topic.{t.value}", _FRENCH_TOPICS.get(t, ())) for t in Topic),
    "ask.unknown_topic",
)
ALERT_SCOPES = Vocabulary(
    "alert lists",
    _terms(
        "discord.scope_{}",
        ("open", ("ouvertes", "live")),
        ("new", ("nouvelles", "unacknowledged")),
        ("acknowledged", ("prises", "acquittees")),
        ("resolved", ("resolues", "closed", "closes")),
        ("all", ("toutes",)),
    ),
    "usage.alerts",
)
STUDENT_LISTS = Vocabulary(
    "student lists",
    _terms(
        "discord.students_{}",
        ("at_risk", ("at-risk", "risk", "a-risque", "risque")),
        ("paused", ("pause", "en-pause", "pauses")),
        ("unlinked", ("non-lies", "sans-compte")),
    ),
    "usage.students",
)
BOOKING_KINDS = Vocabulary(
    "what to book", _terms("discord.kind_{}", "session", ("defense", ("soutenance",)))
)
LANGUAGES = Vocabulary(
    "languages", (Term("fr", "Français"), Term("en", "English")), translated=False
)
YES = frozenset({"yes", "oui", "y", "o", "ready", "pret", "prete"})
NO = frozenset({"no", "non", "n", "-"})


def alert_category(word: str) -> AlertCategory:
    """A category in either language (`plagiat`, `plagiarism`), or the usual refusal."""
    return AlertCategory(CATEGORIES.read(word))
