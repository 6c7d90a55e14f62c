"""`spro.search.parcours`: each target's certifications and formations are the fiche métier's own (the same
functions of `spro.search.details`), the first three of each."""

from __future__ import annotations

import datetime as dt

import pytest

from spro.referentials.certifications.models import Certification, CertificationMetier
from spro.referentials.formations.models import FormationOnisep
from spro.search.details import metier_detail
from spro.search.parcours import MAX_PER_CIBLE, parcours_detail
from tests.referentials.rome.mobilites_graph import build_graph

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def graph(db):
    build_graph()
    for i in range(5):
        cert = Certification.objects.create(
            code=f"9{i}000",
            libelle=f"Titre d’aiguilleur {i}",
            type_libelle="titre professionnel",
            type_code="1",
            niveau_europeen=4,
            date_maj=dt.date(2025, 1, 1),
            etat=1,
            etat_libelle="Actif",
            codes_ideo2=[f"FOR.9{i}"],
        )
        CertificationMetier.objects.create(certification=cert, fiche_metier_id="P0001", rang=1)
        FormationOnisep.objects.create(
            id=f"FOR.9{i}",
            libelle=f"Formation aiguilleur {i}",
            type_libelle="titre professionnel",
            niveau_europeen=4,
            url="https://www.onisep.fr/x",
            domaines=[],
        )


def test_targets_get_the_first_certifications_and_formations_of_their_fiche():
    detail = parcours_detail("O0001", pas=1)
    p1, p2 = detail["un_pas"]
    fiche = metier_detail("P0001")
    assert p1["certifications"] == fiche["certifications"][:MAX_PER_CIBLE] and len(p1["certifications"]) == 3
    assert p1["certifications_total"] == fiche["certifications_total"] == 5
    assert p1["formations"] == fiche["formations"][:MAX_PER_CIBLE] and len(p1["formations"]) == 3
    assert p1["formations_total"] == fiche["formations_total"] == 5
    assert p2["certifications"] == [] and p2["formations"] == []
    assert detail["commune"] is None and detail["metier"]["code_rome"] == "O0001"
