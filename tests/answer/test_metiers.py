"""Métier matching of free French text on the real ROME 4.0 (imported once for the module, rolled back)."""

from __future__ import annotations

import pytest

from spro.answer import metiers
from spro.answer.metiers import match_metiers, parent_code
from spro.referentials.rome.importers import RomeDataset
from spro.referentials.rome.models import Appellation, FicheMetier
from tests.conftest import imported

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def rome(django_db_setup, django_db_blocker):
    with imported(django_db_blocker, RomeDataset()):
        metiers.warm()
        yield
    metiers.clear_index()  # the next module must not see this module's rolled-back referential


def parents(text: str, limit: int = 5) -> list[str]:
    return [parent_code(m.code_rome) for m in match_metiers(text, limit=limit)]


def first(text: str) -> str:
    found = parents(text, 1)
    assert found, text
    return found[0]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("infirmière", "J1506"),
        ("infirmier", "J1506"),
        ("boulangère", "D1102"),
        ("boulanger", "D1102"),
        ("aide-soignante", "J1501"),
        ("Electricienne du bâtiment", "F1602"),
    ],
)
def test_both_gender_forms_find_the_fiche(rome, text, code):
    assert first(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [("je veux devenir infirmiere", "J1506"), ("electricien du batiment", "F1602"), ("ebeniste", "H2207")],
)
def test_missing_accents_do_not_matter(rome, text, code):
    assert first(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("infirmiére", "J1506"),
        ("plombié", "F1603"),
        ("boulangé", "D1102"),
        ("menusier", "H2206"),
        ("electriciene du batiment", "F1602"),
    ],
)
def test_typos_are_corrected(rome, text, code):
    assert first(text) == code


def test_two_edits_are_allowed_in_long_words(rome):
    found = match_metiers("infirmiare", limit=3)  # "a" for "è" and a missing "e": two edits, 10 letters
    assert len(found) == 3
    assert all("Infirmier" in m.appellation for m in found)


def test_sms_style(rome):
    assert first("jsui caissiere jveu changer") == "D1505"
    assert first("jveu etre mecanicienne automobile") == parent_code("I1604")


def test_activity_nouns_reach_the_job(rome):
    # "menuiserie" is an activity noun of the search synonyms (→ menuisier).
    assert "H2206" in parents("j'aime la menuiserie")


def test_the_wanted_job_comes_before_the_current_one(rome):
    found = parents("aide soignante depuis 10 ans je veux passer infirmière")
    assert found[0] == "J1506"
    assert "J1501" in found[:3]
    # With a firm target (« devenir »), the job the person leaves is not offered as a target (issue 12).
    found = parents("je suis caissière chez Leclerc et j'aimerais devenir aide-soignante")
    assert found[0] == "J1501"
    assert "D1505" not in found


def test_without_a_cue_the_best_match_comes_first(rome):
    # No "devenir": the full "aide-soignant" label outweighs a partial match.
    assert first("aide-soignante et infirmière") == "J1501"


def test_a_long_story_is_matched(rome):
    story = (
        "Bonjour, j'ai 45 ans, je travaille comme comptable dans une PME depuis vingt ans, j'ai deux enfants "
        "et je voudrais changer de vie. Mon rêve c'est de devenir ébéniste, j'aime travailler de mes mains. "
    ) * 20
    found = parents(story)
    assert found[0] == "H2207"
    assert "M1203" not in found  # the comptable wants to change: not a target (issue 12)


def test_matches_carry_labels_and_decreasing_scores_in_0_1(rome):
    found = match_metiers("je veux devenir boulangère", limit=5)
    assert found[0].code_rome == "D1102"
    assert found[0].appellation == "Boulanger / Boulangère"
    assert found[0].libelle == FicheMetier.objects.get(code_rome="D1102").libelle
    scores = [m.score for m in found]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert len(match_metiers("infirmière", limit=2)) == 2


@pytest.mark.parametrize(
    "text",
    ["", "   ", "asdkjh qwe zzzz", "!!!???", "🙂🙂🙂", "je veux", "SELECT * FROM users; --", "\x00\x01"],
)
def test_empty_or_garbage_text_gives_nothing(rome, text):
    assert match_metiers(text) == []


def test_another_language_or_huge_text_does_not_fail(rome):
    assert isinstance(match_metiers("I want to work as a nurse in a hospital"), list)
    assert isinstance(match_metiers("Quiero trabajar como cocinero en Francia"), list)
    huge = "je veux devenir infirmière " + "blabla " * 3000  # ~20,000 characters
    found = parents(huge)
    assert found[0] == "J1506"
    assert match_metiers("infirmière", limit=0) == []


def test_the_index_is_rebuilt_when_the_referential_changes(rome):
    assert match_metiers("kombuchière") == []
    Appellation.objects.create(
        code_ogr="999999",
        libelle_long="Kombuchier / Kombuchière",
        libelle_court="Kombuchier / Kombuchière",
        fiche_id="D1102",
        fiche_parente_id="D1102",
        classification="SYNONYME",
    )
    found = match_metiers("kombuchière")
    assert [(m.code_rome, m.appellation) for m in found[:1]] == [("D1102", "Kombuchier / Kombuchière")]


def test_words_of_a_story_alone_name_no_metier(rome):
    # "Patron / Patronne à la pêche", "Deuxième assistant opérateur", "Premier / Première d'atelier" and
    # "Ingénieur de contrats industriels" are appellations; "mon patron", "en deuxième année", "mon premier
    # emploi" and "mon contrat" are not a métier the person named.
    for text in ("mon patron veut rompre mon contrat", "je suis en deuxième année", "mon premier emploi"):
        assert parents(text) == [], text
    story = "Apprenti en deuxième année de CAP électricien, mon patron veut rompre mon contrat."
    assert "F1602" in parents(story, 3) and not {"A1406", "L1505", "B1808"} & set(parents(story))
    # the same words with a métier word of their own still count
    assert first("apprentie paysagiste") == "A1203"  # Apprenti paysagiste (A1208), under A1203
    assert first("première main") == "B1803"
