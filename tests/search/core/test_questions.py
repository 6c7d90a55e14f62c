"""The search box recognises a question or a sentence (issue 12: « je sais pas quoi faire apres la 3eme » gave
ski-instructor diplomas) without taking real search words for one."""

from __future__ import annotations

import pytest

from spro.search.questions import looks_like_question

SENTENCES = [
    "je sais pas quoi faire apres la 3eme",
    "Je ne sais pas quoi faire après la troisième",
    "quoi faire apres le bac",
    "que faire après un bac pro",
    "comment devenir infirmière",
    "Comment financer une formation",
    "pourquoi faire une VAE",
    "quel métier pour moi",
    "quelle formation choisir",
    "je veux travailler avec les animaux",
    "j'aimerais changer de métier",
    "J’ai 17 ans et j’ai arrêté le lycée",
    "mon fils a 16 ans et ne va plus au lycée",
    "ma fille veut faire de la cuisine",
    "je cherche un patron pour mon apprentissage",
    "aidez-moi à trouver une formation",
    "besoin d'aide pour mon CV",
    "est-ce que je peux faire une formation payée",
    "peut-on faire un CAP à 30 ans",
    "où trouver une formation de soudeur",
    "combien gagne un plombier",
    "quand s'inscrire sur parcoursup",
    "infirmière ?",
    "je suis cariste et je veux changer",
    "souhaite me reconvertir dans le numérique",
    "reconversion professionnelle à 45 ans après 20 ans dans la logistique en entrepôt",
    "puis-je faire une VAE",
    "vous pouvez m'aider",
]

SEARCH_WORDS = [
    "infirmiere",
    "infirmière",
    "cap cuisine",
    "bts sio rennes",
    "travailler avec les animaux",
    "aide à domicile",
    "aide-soignant",
    "auxiliaire de vie",
    "CAP pâtisserie",
    "boulanger",
    "mécanicien automobile",
    "licence pro commerce",
    "master informatique",
    "alternance développement web",
    "développeur web apprentissage brest",
    "plombier ou électricien",
    "métiers de la mer",
    "bac pro commerce",
    "conducteur de bus",
    "formation soudeur",
    "orientation après la 3ème",
    "moniteur de ski",
    "qualiticien",
    "quimper",
    "estheticienne",
    "",
    "   ",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_a_sentence_or_question_is_recognised(text):
    assert looks_like_question(text) is True


@pytest.mark.parametrize("text", SEARCH_WORDS)
def test_search_words_are_not_taken_for_a_question(text):
    assert looks_like_question(text) is False
