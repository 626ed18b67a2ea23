"""The catalogue as readers get it: both languages with the same parameters, a plural entry
wherever a count is followed by what it counts, French typography on every French message, no
English in French (a command's words included, when French ones are read) and no French in
English, and each key defined once."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po

from bot.i18n import (
    LOCALES,
    Renderer,
    _key,
    _po_files,
    entries,
    placeholders,
    plural_count,
    plural_form,
)
from bot.parsing import parse
from bot.replies import Text
from bot.typography import NARROW, french

# Parameters that hold a number of things (the code passes an int).
COUNTS = {
    "count", "per_week", "days", "weeks", "projects", "held", "missed", "late", "booked",
    "created", "updated", "unchanged", "rejected", "sessions", "students", "missing", "max",
    "cap", "reports", "rows", "answered", "low", "unacknowledged", "cancelled",
}  # fmt: skip
# What may follow a count without agreeing with it: units, and words that do not count it.
UNITS = {"h", "min", "km", "s", "par", "a", "de", "from", "more"}
# English participles do not agree with the count ("1 created", "2 created").
PARTICIPLES = {"created", "updated", "unchanged", "rejected", "held", "missed", "cancelled"}
# Not a count though a word follows: a list of day names, the top of a range ("1–3 séances"),
# a person's name.
NOT_COUNTS = {
    ("weekly.hours", "days"), ("contact.rule.window_detail", "days"),
    ("roster.bad_minutes", "high"), ("roster.bad_per_week", "high"), ("reassign.student", "old"),
}  # fmt: skip
# A second count in a line already plural by its first: the disengagement window is a school
# setting in days (30 by default), never a single day. A line with several counts otherwise
# shows each as its own plural entry (`overview.count_held`: "1 tenue", "2 tenues").
SECOND = {("disengagement.absences", "days")}
# A placeholder, then the word after it; an id (`#{id}`, `n° {id}`) counts nothing.
PLACEHOLDER_THEN_WORD = re.compile(r"(#|n° ?)?\{(\w+)\} ([^\W\d_]+)")
# In French a word in -s or -x after a placeholder is a plural noun or participle agreeing with a
# number, whatever the parameter is called, except these words that never agree.
INVARIABLE = {
    "dans", "vous", "nous", "moins", "sans", "plus", "après", "depuis", "très", "pas", "alors",
    "mais", "sous", "fois", "dès", "chez", "puis", "jamais", "toujours", "parmi", "lors",
}  # fmt: skip
# In English a word in -s after a placeholder is a plural noun, unless it is one of these (a verb
# after a name, or a word that never agrees).
ENGLISH_VERBS = {
    "has", "was", "is", "does", "says", "needs", "records", "less", "this", "its", "his", "us",
    "as", "plus", "across", "always", "unless", "yes", "gets", "wants", "asks", "goes", "sees",
}  # fmt: skip


def _forms(locale: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    return entries(locale)


def test_every_message_exists_in_both_languages_with_the_same_parameters() -> None:
    french_, english = _forms("fr"), _forms("en")
    assert french_.keys() == english.keys()
    for key, (number, forms) in french_.items():
        expected = {p for form in english[key][1] for p in placeholders(form)}
        for form in forms:
            assert placeholders(form) <= expected and expected - placeholders(form) <= {number}
        assert number == english[key][0], key


@pytest.mark.parametrize("locale", LOCALES)
def test_a_plural_entry_has_the_locales_forms_and_names_a_parameter_it_shows(locale: str) -> None:
    for key, (number, forms) in _forms(locale).items():
        if number:
            assert len(forms) == plural_count(locale), key
            assert number in placeholders(forms[-1]), key


@pytest.mark.parametrize("locale", LOCALES)
def test_a_shown_count_has_plural_forms_and_never_an_s_in_brackets(locale: str) -> None:
    for key, (number, forms) in _forms(locale).items():
        for form in forms:
            assert not re.search(r"\w\((?:s|x|e|es)\)", form), (key, form)
            assert not _unagreed(locale, key, number, form), (locale, key, form)


def _unagreed(locale: str, key: str, number: str, form: str) -> list[str]:
    """The parameters of one form that show a count the entry's forms do not agree with."""
    return [
        name
        for id_mark, name, word in PLACEHOLDER_THEN_WORD.findall(form)
        if not id_mark and name != number and _counted(locale, key, name, word)
    ]


def _counted(locale: str, key: str, name: str, word: str) -> bool:
    if (key, name) in NOT_COUNTS | SECOND:
        return False
    if name in COUNTS and word not in UNITS | PARTICIPLES:
        return True
    if locale == "en":
        return len(word) > 2 and word[-1] == "s" and word not in ENGLISH_VERBS
    return len(word) > 2 and word[-1] in "sx" and word not in INVARIABLE


@pytest.mark.parametrize(
    ("locale", "number", "form", "unagreed"),
    [
        ("fr", "", "Séances : {held} tenues, {missed} manquées", ["held", "missed"]),
        ("fr", "", "Export : {lines} lignes écrites", ["lines"]),  # a name COUNTS lacks
        ("fr", "", "({projects} projets)", ["projects"]),
        ("en", "", "{rows} rows written to {path}", ["rows"]),
        ("en", "", "{n} slots free; {name} has none", ["n"]),  # a name COUNTS lacks
        ("fr", "rows", "{rows} lignes écrites dans {path}", []),
        ("fr", "", "La séance #{id} vous est transmise, n° {id} écrites", []),
        ("fr", "", "Personne avec l’adresse {email} dans le programme", []),
        ("fr", "", "Tenues : {held}", []),  # the label form agrees with any number
    ],
)
def test_the_check_finds_a_count_the_words_do_not_agree_with(
    locale: str, number: str, form: str, unagreed: list[str]
) -> None:
    assert _unagreed(locale, "example", number, form) == unagreed


@pytest.mark.parametrize(("n", "form"), [(0, 0), (1, 0), (2, 1), (21, 1)])
def test_french_says_one_session_for_zero_and_one(n: int, form: int) -> None:
    assert plural_form("fr")(n) == form
    assert plural_form("en")(1) == 0 and plural_form("en")(0) == 1


def test_the_renderer_picks_the_form_from_the_number_parameter() -> None:
    fr, en = Renderer("fr", "UTC"), Renderer("en", "UTC")
    queued = Text("jobs.queued", {"job": "alerts", "count": 1})
    assert fr.text(queued) == f"Tâche alerts{NARROW}: 1 message mis en file d’envoi."
    assert en.text(Text("jobs.queued", {"job": "alerts", "count": 0})).endswith(
        "0 messages queued for delivery."
    )
    assert (
        fr.text(Text("disengagement.no_booking", {"weeks": 2}))
        == "Aucune séance depuis 2 semaines."
    )
    assert en.text(Text("disengagement.no_booking", {"weeks": 1})) == "No session for 1 week."


def _sample(name: str) -> object:
    if name in COUNTS or name in {"id", "hours", "minutes", "n"}:
        return 2
    if name in {"when", "starts_at", "ends_at"}:
        return datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    return f"https://example.org/{name}?a=1" if name == "url" else name.upper()


# A regular or no-break space where French wants a narrow one, or none before ; ! ?
BAD_SPACING = re.compile(r"[ \u00a0][;:!?](?=\s|$)|\w[;!?](?=\s|$)|«[^\u202f]|[^\u202f]»")


def test_every_french_message_is_rendered_in_french_typography() -> None:
    renderer = Renderer("fr", "Europe/Paris")
    for key, (_, forms) in _forms("fr").items():
        params = {name: _sample(name) for form in forms for name in placeholders(form)}
        shown = renderer.text(Text(key, params))
        assert not BAD_SPACING.search(shown), (key, shown)
        assert french(shown) == shown, key


@pytest.mark.parametrize(
    "kept",
    [
        "https://example.org/a?b=1",
        "à 10:00.",
        "Tapez /book 2026-12-01 10:00.",
        "Bravo :tada:",
        "<https://a.example|le lien>",
        "Note:",
    ],
)
def test_typography_leaves_urls_times_commands_and_shortcodes_alone(kept: str) -> None:
    assert french(kept) == kept


def test_typography_spaces_french_punctuation_once() -> None:
    assert french("À bientôt ! Quoi ?! « oui » ; *Titre :*") == (
        f"À bientôt{NARROW}! Quoi{NARROW}?! «{NARROW}oui{NARROW}»{NARROW}; *Titre{NARROW}:*"
    )
    assert french(french("Oui : non ?")) == f"Oui{NARROW}: non{NARROW}?"


@pytest.mark.parametrize(
    ("name", "shown"),
    [("Eve", "Parcours d’Eve"), ("Élodie", "Parcours d’Élodie"), ("Léa", "Parcours de Léa")],
)
def test_french_elides_de_before_a_name_starting_with_a_vowel(name: str, shown: str) -> None:
    text = Renderer("fr", "UTC").text(Text("progress.title", {"name": name, "path": "Web"}))
    assert text == f"{shown}{NARROW}: Web"


# No English in French, no French in English. A command (`/notes SÉANCE …`) is code and keeps its
# name, but a word it takes that French accepts too is written in French: the vocabularies read
# `présent`, `retard`, `validé`, `aucune`, `confirmer` (bot/vocabulary.py, bot/registry/).
COMMAND = re.compile(r"/\w[\w-]*(?:\s(?![—:/])[^\s,;()«»]+)*")
CODE = re.compile(r"\{\w+\}|https?://\S+|`[^`]*`|<[^>]*>|\b\w+_\w+\b|Apple Calendar")
WORDS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
ENGLISH = {
    "ok", "okay", "pending", "yes", "button", "late", "present", "done", "failed", "error",
    "status", "cancelled", "booked", "validated", "rework", "paused", "unlinked", "none", "async",
    "window", "open", "resolved", "acknowledged", "the", "and", "of", "to", "with", "your", "you",
    "please", "not", "found", "invalid", "unknown", "missing", "required", "path", "title",
    "feedback", "attendance", "alerts", "sessions", "check-in", "check-ins", "checkin", "confirm",
    "cancel", "off", "reset", "meeting", "calendar", "timezone", "language", "link", "help",
    "email", "remove", "add", "list", "next", "previous", "back", "send", "sent", "retry",
    "busy", "unreachable", "refused", "ready", "student", "students", "advisor", "week", "day",
    "hour", "today", "tomorrow", "move", "booking", "slot", "free", "is", "are", "was",
    "no-show", "resources", "accommodation",
}  # fmt: skip
# Words a command takes that have a French spelling it accepts too.
ENGLISH_ARGUMENTS = {
    "present", "late", "validated", "rework", "none", "async", "window", "off", "reset",
    "confirm", "yes", "at-risk", "paused", "unlinked", "open", "new", "acknowledged", "resolved",
    "all", "attendance", "alerts", "checkins", "feedback", "add", "remove", "list", "ack",
    "resolve", "details", "export", "erase", "help", "timezone", "language", "link", "calendar",
    "meeting", "back", "hours",
}  # fmt: skip
FRENCH = {
    "le", "la", "les", "des", "une", "avec", "séance", "séances", "étudiant", "étudiante",
    "conseiller", "vous", "votre", "vos", "et", "ou", "est", "pas", "pour", "dans", "sur",
    "aucun", "aucune", "oui", "non", "soutenance", "présence", "retard", "semaine", "jour",
    "heure", "parcours", "projet", "courbe", "confiance", "avis", "hebdomadaire", "lundi",
}  # fmt: skip
# Said in the language just chosen, on purpose: the reader asked for it.
OTHER_LANGUAGE = {"language.set.en", "language.set.fr"}


def _words_of(form: str) -> tuple[list[str], list[str]]:
    """The prose words of one form, and the words of the commands it shows."""
    text = CODE.sub(" ", form)
    commands = [WORDS.findall(found) for found in COMMAND.findall(text)]
    return WORDS.findall(COMMAND.sub(" ", text)), [w for words in commands for w in words[1:]]


def _foreign(locale: str, form: str) -> list[str]:
    prose, arguments = _words_of(form)
    if locale == "en":
        return [w for w in prose if w.lower() in FRENCH or re.search("[àâçéèêîïôûùœ]", w, re.I)]
    shown = [w for w in prose if w.lower() in ENGLISH]
    return shown + [w for w in arguments if w.lower() in ENGLISH_ARGUMENTS]


@pytest.mark.parametrize("locale", LOCALES)
def test_no_english_in_french_and_no_french_in_english(locale: str) -> None:
    for key, (_, forms) in _forms(locale).items():
        for form in forms:
            if key not in OTHER_LANGUAGE:
                assert not _foreign(locale, form), (locale, key, form, _foreign(locale, form))


@pytest.mark.parametrize(
    ("locale", "form", "foreign"),
    [
        ("fr", "Statut : pending", ["pending"]),
        ("fr", "Dernier check-in : {when}", ["check-in"]),
        ("fr", "Usage : /notes SÉANCE [present|late|absent]", ["present", "late"]),
        ("fr", "Tapez /cancel {id} confirm.", ["confirm"]),
        ("fr", "/notes SÉANCE [présent|retard|absent] — noter la présence", []),
        ("fr", "Le fichier `mentor_email` https://example.org/the/path", []),
        ("en", "Session booked with votre mentor", ["votre"]),
        ("en", "Your séance", ["séance"]),
        ("en", "Session #{id} was cancelled: an absence.", []),
    ],
)
def test_the_language_check_finds_foreign_words(locale: str, form: str, foreign: list[str]) -> None:
    assert _foreign(locale, form) == foreign


@pytest.mark.parametrize(
    ("name", "typed"),
    [
        ("notes", "5 présent"), ("notes", "5 retard"), ("defense", "5 validé"),
        ("defense", "5 retravailler html"), ("correct", "5 retard -- oubli"),
        ("cancel", "5 confirmer"), ("person", "erase a@example.org confirmer"),
        ("contact", "aucune"), ("contact", "asynchrone"), ("contact", "fenêtre lun 18:00-20:00"),
        ("alerts", "nouvelles"), ("alerts", "prises"), ("alerts", "résolues"), ("alerts", "toutes"),
        ("students", "à-risque"), ("students", "en-pause"), ("students", "sans-compte"),
        ("students", "parcours Web"), ("export", "séances"), ("export", "présences"),
        ("export", "points"), ("export", "avis"), ("export", "alertes"),
        ("availability", "ajouter lun 09:00-12:00"), ("availability", "retirer lun 09:00-12:00"),
        ("availability", "absent 2026-12-20"), ("availability", "liste"),
        ("mentorbot", "meeting aucune"), ("mentorbot", "calendar nouveau"),
        ("mentorbot", "salle aucune"), ("mentorbot", "agenda nouveau"), ("mentorbot", "aide"),
        ("mentorbot", "fuseau Europe/Paris"), ("mentorbot", "langue fr"), ("mentorbot", "lier"),
        ("alerts", "prendre 3"), ("alerts", "résoudre 3 fait"), ("alerts", "détails 3"),
        ("person", "exporter a@example.org"), ("person", "effacer a@example.org"),
        ("route", "3 ressources"), ("route", "3 séance-en-plus"), ("route", "3 administratif"),
        ("route", "3 aménagement"), ("route", "3 conseillère"), ("ask", "sujet=ressources Bonjour"),
        ("escalate", "désengagement lea@example.org Trois absences"),
        ("availability", "retour 2026-12-20"), ("availability", "heures 08:00-21:00"),
    ],
)  # fmt: skip
def test_the_french_words_the_help_shows_are_read_by_the_commands(name: str, typed: str) -> None:
    command = parse(name, typed, ZoneInfo("Europe/Paris"))  # a word it does not read raises
    english = {"présent": "present", "retard": "late", "validé": "validated"}
    if name in {"notes", "defense"} and typed.split()[1] in english:
        assert english[typed.split()[1]] in vars(command).values()


@pytest.mark.parametrize("locale", LOCALES)
def test_each_language_has_its_own_apostrophe_and_quotes(locale: str) -> None:
    """French: ’ and « », never ' or " (code and URLs aside); English: no « » nor French spacing."""
    for key, (_, forms) in _forms(locale).items():
        for form in forms:
            prose = re.sub(r"`[^`]*`|https?://\S+|<[^>]*>", "", form)
            if locale == "fr":
                assert not re.search(r"['\"]|\.\.\.", prose), (key, form)
            else:
                assert not re.search(r"[«»\u202f]", prose), (key, form)


@pytest.mark.parametrize("locale", LOCALES)
def test_no_message_is_defined_in_two_files(locale: str) -> None:
    """Every .po of a locale is merged: a key in two files would silently keep the later one."""
    found: dict[str, list[str]] = {}
    for path in _po_files(locale):
        with path.open("rb") as po_file:
            for message in read_po(po_file, locale=locale):
                if message.id:
                    found.setdefault(_key(message.id), []).append(path.name)
    assert {key: files for key, files in found.items() if len(files) > 1} == {}


# French words that guess the reader's or a person's gender: say "la personne", "vous êtes",
# or what is ready (the project), instead.
GENDERED = re.compile(
    r"\binscrite?s?\b|\w\((?:e|es)\)|\w·e|vous juge prêt|vous seul\b|l’étudiant ou l’étudiante"
    r"|vous a (?:pas encore )?déclaré prêt|\bAbsent du\b|mentor est absent|comment le joindre"
)


def test_french_does_not_guess_a_gender() -> None:
    for key, (_, forms) in _forms("fr").items():
        for form in forms:
            assert not GENDERED.search(form), (key, form)
    assert GENDERED.search("Votre mentor vous juge prêt") and GENDERED.search("déjà inscrit")
