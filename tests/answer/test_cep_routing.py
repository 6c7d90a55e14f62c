"""Issue 16 §3: an employed person who asks about changing career is routed to the CEP operator competent for their
commune (the directory's typology CEP and its zone of competence), with the reason of the rule files shown."""

from __future__ import annotations

import datetime as dt

import pytest

from spro.answer.routing import NONE_NEAR_NOTE, NOT_COMPETENT_NOTE, route
from spro.answer.types import BesoinScore, Profile
from spro.directory.importers import StructuresDataset
from spro.directory.models import Structure
from spro.referentials.geo.importers import GeoDataset
from spro.referentials.geo.models import Commune
from tests.conftest import imported

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 7)
CHANGE = [BesoinScore("evolution-professionnelle", 0.9)]

# One commune of each département of the demo network, and the antenna competent for it.
COMPETENT = {
    "22278": "antenne Côtes-d'Armor",  # Saint-Brieuc
    "29019": "antenne Finistère",  # Brest
    "35238": "antenne Ille-et-Vilaine",  # Rennes
    "56121": "antenne Morbihan",  # Lorient
}
LAVAL = "53130"  # Mayenne: outside the demo network, no CEP operator is competent there


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with imported(django_db_blocker, GeoDataset(), StructuresDataset()) as reports:
        yield reports[-1]


@pytest.mark.parametrize(("commune", "antenne"), sorted(COMPETENT.items()))
def test_an_employed_person_who_wants_to_change_career_goes_to_the_competent_cep(demo, commune, antenne):
    orientations = route(Profile(age=41, statut="salarie", commune=commune), CHANGE, [], today=TODAY)
    cep = orientations[0]
    assert cep.typologie == "CEP" and cep.regle == "actif-evolution"
    assert "conseil en évolution professionnelle (CEP)" in cep.raison and "employeur" in cep.raison
    assert NOT_COMPETENT_NOTE.split("{")[0] not in cep.raison
    assert [hit.nom.split("– ")[-1] for hit in cep.structures] == [antenne]
    place = Commune.objects.get(code_insee=commune)
    structure = Structure.objects.get(di_id=cep.structures[0].id)
    assert Structure.objects.covering(place).filter(pk=structure.pk).exists()


def test_the_cep_comes_first_whatever_the_age_and_diploma(demo):
    for age, niveau in ((24, "3"), (58, "7"), (None, None)):
        profile = Profile(age=age, statut="salarie", commune="35238", niveau=niveau)
        assert route(profile, CHANGE, [], today=TODAY)[0].typologie == "CEP"


def test_someone_who_does_not_work_is_not_sent_to_the_cep_first(demo):
    for statut in ("demandeur-emploi", "lyceen"):
        orientations = route(Profile(age=30, statut=statut, commune="35238"), CHANGE, [], today=TODAY)
        assert orientations[0].typologie != "CEP", statut


def test_when_the_situation_is_unknown_the_reason_does_not_claim_the_person_works(demo):
    cep = route(Profile(age=30, commune="35238"), CHANGE, [], today=TODAY)[0]
    assert cep.typologie == "CEP" and cep.regle != "actif-evolution" and "Vous travaillez" not in cep.raison


def test_a_commune_outside_the_demo_network_has_no_competent_cep(demo):
    """The demo network has a CEP operator for the four départements of Bretagne only: in Laval (Mayenne) no operator
    is competent, the routing says so instead of pretending."""
    orientations = route(Profile(age=41, statut="salarie", commune=LAVAL), CHANGE, [], today=TODAY)
    cep = next(o for o in orientations if o.typologie == "CEP")
    laval = Commune.objects.get(code_insee=LAVAL)
    assert not Structure.objects.filter(typologie="CEP").covering(laval).exists()
    assert all(not Structure.objects.covering(laval).filter(di_id=hit.id).exists() for hit in cep.structures)
    assert cep.raison.endswith(NOT_COMPETENT_NOTE.format(rayon=60)) or cep.raison.endswith(NONE_NEAR_NOTE)
