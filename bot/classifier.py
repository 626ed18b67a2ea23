"""Which questions are the advisor's business, not the mentor's (the school guide's table).

A keyword and phrase classifier over folded text (lower case, no accents), in French and
English. Phrases are specific on purpose: a question about a project's *content* that happens
to say "resources", "login" or "pause" must still reach the mentor.
"""

from __future__ import annotations

import re

from bot.domain import Topic
from bot.timeparse import fold

_PATTERNS: dict[Topic, tuple[str, ...]] = {
    Topic.EXTRA_SESSION: (
        r"\b(deux|2|plusieurs) (seances|sessions|rendez-vous|rdv)( de mentorat)? (par|cette|chaque|la) semaine",
        r"\b(seance|session|rendez-vous|rdv)s? (supplementaire|en plus|de plus|additionnelle)",
        r"\b(une )?autre (seance|session) cette semaine",
        r"\b(two|2|more|several) (mentoring )?sessions (a|per|each|this) week",
        r"\b(extra|additional|second|another|more) (mentoring )?(session|meeting|call)s?\b.*\b(week|weekly)",
        r"\b(extra|additional) (mentoring )?sessions?\b",
    ),
    Topic.PAUSE: (
        r"\b(faire|prendre|mettre|demander) (une |ma |en )?pause\b.*\b(formation|parcours|etudes|cursus|mentorat)",
        r"\b(formation|parcours|etudes|cursus|mentorat) en pause",
        r"\bsuspendre (ma|mon|mes) (formation|parcours|etudes|cursus|mentorat)",
        r"\b(je suis|suis) (malade|hospitalise|souffrant)",
        r"\barret (de travail|maladie)",
        r"\b(conge|conges) (maladie|maternite|paternite|parental)",
        r"\b(vacances|conges)\b.*\b(formation|parcours|seances|mentorat|ecole|rythme)",
        r"\b(take|taking|need) a (break|pause|leave) from (the |my )?(course|program|programme|path|studies|training|mentoring)",
        r"\b(pause|suspend|freeze|defer) (my |the )?(studies|program|programme|course|path|training|enrollment|enrolment|subscription)",
        r"\b(i am|i'm|im|been) (sick|ill|in hospital|hospitali[sz]ed)\b",
        r"\b(sick|medical|maternity|paternity|parental) leave\b",
        r"\b(holiday|holidays|vacation)\b.*\b(course|program|programme|sessions|path|school|mentoring)",
    ),
    Topic.ADMIN: (
        r"\b(facture|facturation|prelevement|rembours\w*|financement|cpf|pole emploi|france travail)\b",
        r"\b(mon|mes|le) paiements?\b.*\b(formation|frais|mensualite|ecole)|\bpaiement (de|des) (ma|mes|la) (formation|frais|mensualites)",
        r"\b(attestation|certificat) (de scolarite|de formation|d'inscription|de presence)",
        r"\b(mon|ma) (inscription|reinscription)\b|\binscription (a|en) (la )?formation|\b(contrat d'apprentissage|convention de stage)\b",
        r"\b(me connecter|me reconnecter|acceder|acces|connexion)\b.*\b(plateforme|site de l'ecole|espace (etudiant|eleve)|mon compte|au cours)",
        r"\b(compte|espace etudiant)\b.*\b(bloque|suspendu|desactive|inaccessible)",
        r"\b(mot de passe|identifiants?)\b.*\b(plateforme|compte|oublie|perdu|reinitialis)",
        r"\bservice (client|support|administratif)\b",
        r"\b(invoice|billing|refund|tuition|fees|funding|scholarship)\b",
        r"\bmy payments?\b|\bpayments? (for|of) (the|my) (course|program|programme|training|fees)",
        r"\b(enrol+ment|attendance|training) (certificate|letter|proof)",
        r"\b(can't|cannot|can not|unable to|couldn't) (log ?in|sign ?in|access)\b.*\b(platform|portal|student (area|space)|my account|the course|the site)",
        r"\b(my|student) account\b.*\b(locked|blocked|suspended|disabled)",
        r"\b(reset|forgot|lost) (my )?password\b",
        r"\b(support|admin|administrative) (ticket|team|request|question)",
    ),
    Topic.RESOURCES: (
        r"\b(ressources?|supports?|cours|contenus?) (supplementaires?|additionnel\w*|en plus|complementaires?)",
        r"\b(plus de|d'autres|davantage de) (ressources|cours|supports|contenus)( pedagogiques)?\b(?!.*\b(projet|code|api|fonction)\b)",
        r"\b(extra|additional|more|supplementary|further) (learning |course |study )?(resources|materials?|courses|content)\b(?!.*\b(project|code|api|function|folder)\b)",
        r"\baccess to (more|extra|additional|other) (courses|resources|content)",
    ),
    Topic.ACCOMMODATION: (
        r"\brqth\b",
        r"\b(amenagement|adaptation)s? (d'examen|de soutenance|raisonnables?|pour (mon |mes |ma )?(handicap|trouble))",
        r"\b(handicap|tiers[- ]temps|dyslexi\w*|dyspraxi\w*|tdah|trouble (dys|de l'attention))\b",
        r"\b(disability|disabled|dyslexi\w*|adhd|neurodivergen\w*)\b",
        r"\b(reasonable )?(accommodations?|adjustments?) for (my )?(disability|condition|dyslexia|adhd|the defen[cs]e|exams?)",
        r"\bextra time (for|during|in) (my |the )?(defen[cs]e|exams?|soutenance)",
    ),
}
_COMPILED = {topic: tuple(re.compile(p) for p in patterns) for topic, patterns in _PATTERNS.items()}


def classify(text: str) -> Topic:
    """The advisor-side topic a question is about, or Topic.MENTOR when it is the mentor's."""
    folded = fold(text).replace("’", "'")
    for topic, patterns in _COMPILED.items():
        if any(pattern.search(folded) for pattern in patterns):
            return topic
    return Topic.MENTOR
