"""Local formations on the real referentials (issue 12): a finer ROME 4.0 fiche gets its parent code's
certifications, the nearest place of a formation comes first, filters without words browse, the answer's
formations link is near the person, and an empty radius says so and offers the search without it.

Geography, ROME, certifications and formations are imported once for the module and rolled back at the end.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from spro.referentials.certifications.importers import CertifInfoDataset, NsfBcnDataset
from spro.referentials.formations.importers import MasterDataset, OnisepDataset, ParcoursupDataset
from spro.referentials.geo.importers import GeoDataset
from spro.referentials.rome.importers import RomeDataset
from spro.search import params, service
from spro.search.details import metier_detail
from spro.search.indexing import rebuild_index
from spro.search.links import formations_url
from tests.conftest import imported

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

BREST = "29019"
RENNES = "35238"


@pytest.fixture(scope="module")
def referentials(django_db_setup, django_db_blocker):
    datasets = (GeoDataset, RomeDataset, NsfBcnDataset, CertifInfoDataset, OnisepDataset, ParcoursupDataset)
    with imported(django_db_blocker, *(d() for d in (*datasets, MasterDataset))):
        rebuild_index()
        service._labels_cache.clear()
        yield
    service._labels_cache.clear()


def test_a_finer_fiche_lists_the_certifications_and_formations_of_its_parent_code(referentials):
    m1855 = metier_detail("M1855")  # Développeur web, under M1805 (the ROME v3 code Certif Info uses)
    assert m1855["certifications_parent"]["code_rome"] == "M1805"
    closest = [c["libelle"] for c in m1855["certifications"][: m1855["certifications_proches"]]]
    assert "Titre professionnel développeur web et web mobile" in closest
    assert all("web" in label.lower() or "stack" in label.lower() for label in closest[:5]), closest[:5]
    assert "TP Développeur web et web mobile" in [f["libelle"] for f in m1855["formations"][:10]]
    # A fiche with its own links keeps them, without a parent note.
    j1506 = metier_detail("J1506")
    assert j1506["certifications_parent"] is None and j1506["certifications"]


def test_the_fiche_page_shows_the_parent_code_certifications(client, referentials):
    html = client.get("/metiers/M1855").content.decode()
    assert "Titre professionnel développeur web et web mobile" in html
    assert "Aucune certification n’est reliée" not in html
    assert 'href="/metiers/M1805"' in html


def test_the_nearest_place_of_a_formation_comes_first(referentials):
    response = service.search("infirmiere", commune=RENNES, rayon_km=200, par_page=20)
    formations = [hit for hit in response.resultats if hit.type == "formation"]
    assert formations[0].distance_km < 10, [(h.sous_titre, h.distance_km) for h in formations[:3]]
    same_title = [hit.distance_km for hit in formations if hit.titre == formations[0].titre]
    assert same_title == sorted(same_title)


def test_infirmiere_near_rennes_gives_a_formation_of_the_region_first(referentials):
    first = next(h for h in service.search("infirmiere", commune=RENNES).resultats if h.type == "formation")
    assert first.distance_km is not None and first.distance_km <= params.DEFAULT_RAYON_KM
    assert "Rennes" in first.sous_titre


def test_apprenticeship_near_brest_within_50_km(client, referentials):
    response = service.search("apprentissage", type="formation", commune=BREST, rayon_km=50, par_page=50)
    assert response.total > 0
    assert all(hit.distance_km <= 50 for hit in response.resultats)
    # The page with the filters alone (no words) browses them instead of showing an empty form.
    params = {"q": "", "type": "formation", "modalite": "apprentissage", "commune": BREST, "rayon_km": "50"}
    html = client.get("/recherche", params).content.decode()
    assert "Aucun résultat" not in html and "Université de Brest" in html


def test_the_answer_formations_link_is_near_the_person(client, referentials):
    url = formations_url("Développeur / Développeuse web", BREST)
    params = parse_qs(urlsplit(url).query)
    assert params["commune"] == [BREST] and params["rayon_km"] == ["50"] and params["type"] == ["formation"]
    assert "commune" not in formations_url("Développeur / Développeuse web", None)
    # Nothing that close in the shipped extract: the page says so and offers the search without the limit.
    html = client.get(url).content.decode()
    assert "Aucun résultat dans ce rayon" in html
    assert "sans limite de distance" in html


def test_the_nursing_fiche_lists_the_nursing_diploma_and_not_a_master_of_philosophy(referentials):
    # Certif Info gives « Master mention philosophie » J1506 as its third ROME code; it is not a route to nursing.
    j1506 = metier_detail("J1506")
    certifications = [c["libelle"] for c in j1506["certifications"]]
    formations = [f["libelle"] for f in j1506["formations"]]
    assert "Diplôme d'État d'infirmier(ière)" in certifications
    assert "Diplôme d'Etat d'infirmier" in formations
    assert not [label for label in certifications + formations if "philosophie" in label.lower()]
