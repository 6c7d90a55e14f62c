"""The French readability measure (spro/core/readability.py) on hand-counted words and hand-computed texts."""

from __future__ import annotations

import pytest

from spro.core.readability import MAX_SENTENCE_WORDS, MIN_SCORE, measure, score, sentences, syllables


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        # hand-counted, read aloud: one vowel group per syllable
        ("vous", 1),
        ("emploi", 2),  # em-ploi
        ("formations", 3),  # for-ma-tions
        ("conseiller", 3),  # con-seil-ler
        ("oiseau", 2),  # oi-seau
        # é/è/ê before a vowel: a new syllable
        ("créer", 2),  # cré-er
        ("réel", 2),
        # final mute e / es
        ("école", 2),  # é-cole
        ("jeunes", 1),
        ("idées", 2),  # i-dées
        ("journée", 2),  # jour-née
        ("le", 1),  # the only vowel: kept
        ("des", 1),
        # u after q / g belongs to the consonant
        ("quitté", 2),  # quit-té
        ("guide", 1),
        # elision, hyphen, acronyms, numbers
        ("l'école", 2),
        ("qu'on", 1),
        ("jusqu'à", 2),  # jus-qu'à
        ("rendez-vous", 3),
        ("CIO", 3),  # C-I-O
        ("CPF", 3),
        ("25", 2),  # vingt-cinq
    ],
)
def test_syllables_of_hand_counted_words(word, expected):
    assert syllables(word) == expected


def test_sentences_end_at_full_stops_and_line_breaks_not_at_colons():
    assert sentences("Allez au CIO : c'est gratuit. Venez !\nMerci") == [
        "Allez au CIO : c'est gratuit",
        " Venez ",
        "Merci",
    ]


def test_score_of_a_hand_computed_text():
    # « Allez à la Mission locale. Elle aide les jeunes de 16 à 25 ans ! »
    # sentence 1: Al-lez(2) à(1) la(1) Mis-sion(2) lo-cale(2) = 5 words, 8 syllables
    # sentence 2: Elle(1) aide(1) les(1) jeunes(1) de(1) 16(2) à(1) 25(2) ans(1) = 9 words, 11 syllables
    text = "Allez à la Mission locale. Elle aide les jeunes de 16 à 25 ans !"
    m = measure(text)
    assert (m.words, m.sentences, m.syllables, m.longest_sentence) == (14, 2, 19, 9)
    expected = 207 - 1.015 * 14 / 2 - 73.6 * 19 / 14
    assert m.score == pytest.approx(expected)
    assert round(expected, 2) == 100.01
    assert m.problems() == []


def test_a_long_sentence_of_long_words_is_hard_and_says_why():
    text = (
        "Le conseil en évolution professionnelle est gratuit et confidentiel : un conseiller ou une conseillère "
        "vous aide à faire le point et à construire votre projet, que vous soyez salarié ou demandeur d'emploi."
    )
    m = measure(text)
    assert m.sentences == 1 and m.longest_sentence == 32
    assert m.score < MIN_SCORE
    assert m.problems() == [
        f"score de lisibilité {m.score:.0f} (il faut au moins {MIN_SCORE:g})",
        f"une phrase de 32 mots (au plus {MAX_SENTENCE_WORDS})",
    ]


def test_empty_text_scores_without_dividing_by_zero():
    assert measure("").words == 0
    assert score("") == 207
