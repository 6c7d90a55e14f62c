"""The first answer for the people who tried it (issue 12): pupils and their parents, interests, one fiche per
place, the job someone wants to leave, bilan de compétences / CEP and foreign diplomas — on the real ROME 4.0."""

from __future__ import annotations

import pytest

from spro.answer import metiers
from spro.answer.facts import extract_facts
from spro.answer.metiers import match_metiers, parent_code
from spro.answer.needs import detect_besoins
from spro.answer.service import answer
from spro.answer.types import Profile
from spro.referentials.rome.importers import RomeDataset
from spro.referentials.rome.models import FicheCentreInteret
from tests.conftest import imported

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def rome(django_db_setup, django_db_blocker):
    with imported(django_db_blocker, RomeDataset()):
        metiers.warm()
        yield
    metiers.clear_index()  # the next module must not see this module's rolled-back referential


def parents(text: str) -> list[str]:
    return [parent_code(m.code_rome) for m in match_metiers(text)]


def needs(text: str, profile: Profile | None = None) -> list[str]:
    return [b.code for b in detect_besoins(text, profile or Profile(), [])]


# --- Interests are not métiers ---------------------------------------------------------------------------------


def test_interests_lead_to_the_metiers_of_their_centres_d_interet_with_the_reason(rome):
    found = match_metiers("j'aime les animaux et le dessin")
    assert len(found) == 5
    centres = dict.fromkeys(("17", "7"))  # « J'aime m'occuper des animaux », « J'ai un bon coup de crayon »
    linked = set(
        FicheCentreInteret.objects.filter(centre_interet_id__in=centres).values_list("fiche_id", flat=True)
    )
    assert {m.code_rome for m in found} <= linked
    assert all(m.raison.startswith("Parce que vous aimez") for m in found)
    assert any("les animaux" in m.raison for m in found) and any("le dessin" in m.raison for m in found)


@pytest.mark.parametrize(
    "text",
    [
        "je suis en troisième au collège et je sais pas quoi faire après",
        "après le lycée je veux faire une formation",
        "le médecin du travail m'a déclaré inapte",
        "ma conseillère France Travail m'a dit de faire une formation",
        "mon fils est au lycée",
    ],
)
def test_words_of_the_situation_name_no_metier(rome, text):
    assert match_metiers(text) == []


def test_an_activity_noun_finds_its_job(rome):
    assert match_metiers("alternance en développement web")[0].code_rome == "M1855"  # Développeur web


def test_one_entry_per_fiche(rome):
    for text in ("alternance en développement web", "technicien R&D en laboratoire de recherche", "géomètre"):
        found = parents(text)
        assert len(found) == len(set(found)), text


# --- The job someone wants to leave ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("je suis cariste et je veux changer de métier", "N1101"),
        (
            "Karim, 42 ans, cariste à Rennes depuis 15 ans, j'ai mal au dos et je voudrais me reconvertir",
            "N1101",
        ),
        ("Chauffeur routier de 50 ans, je voudrais devenir formateur", "N4101"),
        ("Je suis aide-soignante et je voudrais devenir infirmière", "J1501"),
    ],
)
def test_the_job_to_leave_is_not_offered_as_a_target(rome, text, left):
    assert left not in parents(text)


def test_the_formations_card_never_follows_the_job_to_leave(rome):
    result = answer("je suis cariste et je veux changer de métier", {})
    assert not any("Cariste" in card.titre for card in result.ressources)


def test_someone_who_names_their_job_works_and_goes_to_the_cep(rome):
    result = answer("Saint-Brieuc. Je suis aide-soignante et je voudrais devenir infirmière.", {})
    assert result.analysis.profile.statut == "salarie"
    assert result.orientations[0].typologie == "CEP"
    assert result.analysis.metiers[0].code_rome == "J1506"


# --- Pupils and their parents ----------------------------------------------------------------------------------


def test_a_pupil_who_wants_to_work_with_animals_gets_orientation_not_job_search(rome):
    result = answer("je veux travailler avec les animaux plus tard, je suis en troisième à Lorient", {})
    codes = [b.code for b in result.analysis.besoins]
    assert "recherche-emploi" not in codes
    assert codes[:2] == ["decouvrir-metiers", "choisir-formation"]
    assert result.orientations[0].typologie == "CIO"
    assert all(o.typologie != "FT" for o in result.orientations)
    assert result.analysis.metiers and all(m.raison for m in result.analysis.metiers)


def test_a_pupil_who_asks_for_a_summer_job_keeps_job_search():
    assert "recherche-emploi" in needs(
        "je suis en seconde et je cherche un job d'été", Profile(statut="lyceen")
    )
    assert "recherche-emploi" not in needs("je veux travailler avec les chevaux", Profile(statut="lyceen"))


def test_a_childs_age_is_not_the_writers_age():
    facts = extract_facts("Mon fils a 16 ans, il ne veut plus aller au lycée, que peut-il faire ?")
    assert (facts.age, facts.for_child, facts.child_age) == (None, True, 16)
    facts = extract_facts("J'ai 45 ans et mon fils de 17 ans cherche un apprentissage")
    assert (facts.age, facts.for_child, facts.child_age) == (45, True, 17)
    assert (
        extract_facts("Je suis mère au foyer, ma fille a 3 ans, je voudrais reprendre un travail").for_child
        is None
    )


def test_a_parent_writing_for_a_child_gets_the_childs_routing(rome):
    result = answer("Mon fils a 16 ans, il ne veut plus aller au lycée, que peut-il faire ?", {})
    profile = result.analysis.profile
    assert (profile.age, profile.for_child, profile.child_age) == (None, True, 16)
    first = result.orientations[0]
    assert (first.typologie, first.regle) == ("CIO", "decrochage-mineur")
    assert first.raison.startswith("Pour votre enfant : ")
    assert result.as_dict()["profil"]["age_enfant"] == 16


# --- Bilan de compétences, CEP, foreign diplomas ---------------------------------------------------------------


def test_a_foreign_diploma_gets_recognition_needs_and_the_enic_naric_card(rome):
    text = "mon diplôme est algérien, comment le faire reconnaître en France ?"
    assert set(needs(text)[:2]) == {"mobilite-internationale", "vae"}
    result = answer(text, {})
    assert any("ENIC-NARIC" in card.titre for card in result.ressources)
    assert any("ENIC-NARIC" in step for step in result.etapes)


def test_bilan_de_competences_and_cep_are_explained_when_asked(rome):
    result = answer("C'est quoi un bilan de compétences et comment le financer avec mon CPF ?", {})
    assert any(card.titre == "Le bilan de compétences" for card in result.ressources)
    assert any("bilan de compétences" in step for step in result.etapes)
    assert any("(CEP)" in step for step in result.etapes)
