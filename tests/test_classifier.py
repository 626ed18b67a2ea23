"""The topic classifier, on realistic phrasings in French and English, including the traps:
questions about a project's content that mention resources, logins, pauses or sessions."""

from __future__ import annotations

import pytest

from bot.classifier import classify
from bot.domain import Topic

E, P, A, R, H, M = (
    Topic.EXTRA_SESSION,
    Topic.PAUSE,
    Topic.ADMIN,
    Topic.RESOURCES,
    Topic.ACCOMMODATION,
    Topic.MENTOR,
)

FRENCH = [
    ("Est-ce qu'on pourrait faire deux séances par semaine jusqu'à la soutenance ?", E),
    ("Je voudrais une séance supplémentaire avant vendredi", E),
    ("Serait-il possible d'avoir une autre séance cette semaine ?", E),
    ("J'aimerais 2 sessions par semaine ce mois-ci", E),
    ("Je dois mettre ma formation en pause pour raisons familiales", P),
    ("Je suis malade depuis lundi, je ne pourrai pas avancer", P),
    ("J'ai un arrêt maladie de deux semaines", P),
    ("Comment se passent les vacances de Noël pour la formation ?", P),
    ("Puis-je suspendre mon parcours pendant un mois ?", P),
    ("Je voudrais prendre une pause dans mon parcours", P),
    ("Je suis hospitalisé cette semaine", P),
    ("Je n'arrive pas à me connecter à la plateforme depuis hier", A),
    ("Ma facture de novembre est fausse", A),
    ("Où trouver mon attestation de scolarité ?", A),
    ("Mon compte est bloqué, que faire ?", A),
    ("J'ai oublié mon mot de passe de la plateforme", A),
    ("Question sur le financement CPF de ma formation", A),
    ("Comment obtenir un remboursement ?", A),
    ("Auriez-vous des ressources supplémentaires sur le machine learning ?", R),
    ("Je cherche plus de ressources pédagogiques en statistiques", R),
    ("Existe-t-il des cours complémentaires sur Docker ?", R),
    ("J'ai une RQTH, comment ça se passe pour la soutenance ?", H),
    ("Je suis dyslexique, puis-je avoir un tiers-temps ?", H),
    ("Quels aménagements raisonnables sont possibles ?", H),
    ("Je voudrais des aménagements d'examen pour mon handicap", H),
    # The mentor's business, even with tempting words.
    ("Comment organiser le dossier ressources de mon projet Android ?", M),
    ("Ma fonction doit mettre en pause l'animation quand on clique, comment faire ?", M),
    ("Mon formulaire de connexion ne valide pas le mot de passe, une idée ?", M),
    ("Quelle ressource REST renvoyer pour la liste des commandes ?", M),
    ("Peux-tu relire mon diagramme de classes avant la séance ?", M),
    ("Je bloque sur la jointure SQL du projet 4", M),
    ("Quelles sont les attentes pour le livrable de la semaine ?", M),
    ("Comment gérer l'accessibilité du site pour les lecteurs d'écran ?", M),
    ("Mon API de paiement Stripe renvoie une erreur 402 dans le projet", M),
    ("Le cours sur React est-il à jour pour les hooks ?", M),
    ("Faut-il une session utilisateur côté serveur dans ce projet ?", M),
    ("Je ne comprends pas la consigne de la mission 3", M),
    ("Est-ce que ma présentation est prête pour la soutenance ?", M),
    ("Comment tester le code de la page d'inscription du projet ?", M),
    ("Merci pour la séance de lundi, j'ai avancé sur le back-end", M),
    ("Peux-tu m'expliquer les index en base de données ?", M),
    ("Y a-t-il une bonne ressource pour comprendre les promesses ?", M),
]

ENGLISH = [
    ("Could we have two sessions a week until my defense?", E),
    ("Can I book an extra session this week?", E),
    ("I'd like an additional session before Friday", E),
    ("Is another mentoring session per week possible?", E),
    ("I need to take a break from the course for a month", P),
    ("I'm sick and won't be able to work this week", P),
    ("Can I pause my studies until January?", P),
    ("I'm on sick leave for two weeks", P),
    ("How do holidays work for the program?", P),
    ("I have been hospitalized since Monday", P),
    ("I want to defer my enrollment", P),
    ("I can't log in to the platform since yesterday", A),
    ("My invoice for November is wrong", A),
    ("Where can I get an enrollment certificate?", A),
    ("My student account is locked", A),
    ("I forgot my password", A),
    ("Question about my funding and tuition fees", A),
    ("How do I open a support ticket?", A),
    ("Do you have extra resources on machine learning?", R),
    ("Where can I find more learning materials on statistics?", R),
    ("Could I get access to additional courses on Docker?", R),
    ("I have a disability, how does the defense work?", H),
    ("I'm dyslexic, can I get extra time for the defense?", H),
    ("What accommodations for my ADHD are possible?", H),
    ("Reasonable adjustments for my condition during exams?", H),
    # The mentor's business, even with tempting words.
    ("How should I organise the resources folder in my Android project?", M),
    ("My function should pause the animation on click, how?", M),
    ("My login form doesn't validate the password, any idea?", M),
    ("Which REST resource should return the order list?", M),
    ("Could you review my class diagram before our session?", M),
    ("I'm stuck on the SQL join in project 4", M),
    ("What is expected for this week's deliverable?", M),
    ("How do I handle accessibility for screen readers?", M),
    ("My Stripe payment API returns a 402 error in the project", M),
    ("Is the React course up to date with hooks?", M),
    ("Do I need a server-side user session in this project?", M),
    ("I don't understand the brief of mission 3", M),
    ("Is my presentation ready for the defense?", M),
    ("How do I test the sign-up page code of the project?", M),
    ("Thanks for Monday's session, I made progress on the back end", M),
    ("Can you explain database indexes?", M),
    ("Is there a good resource to understand promises?", M),
    ("Which extra resources did you use for the API in your project?", M),
]


@pytest.mark.parametrize(("text", "topic"), FRENCH)
def test_french(text: str, topic: Topic) -> None:
    assert classify(text) == topic


@pytest.mark.parametrize(("text", "topic"), ENGLISH)
def test_english(text: str, topic: Topic) -> None:
    assert classify(text) == topic


def test_enough_phrasings_and_traps_each_way() -> None:
    for cases in (FRENCH, ENGLISH):
        assert len(cases) >= 40
        assert sum(topic == M for _, topic in cases) >= 15
        assert {topic for _, topic in cases} == set(Topic)


def test_case_and_accents_are_folded() -> None:
    assert classify("JE SUIS MALADE") == P
    assert classify("seance supplementaire svp") == E
