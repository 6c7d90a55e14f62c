"""A fiche métier reaches its formations through codes (issue 12 §3): ROME ↔ certification (Certif Info) ↔
formation (LHÉO offers by Certif Info code or RNCP number, ONISEP by id or RNCP number). M1855 « Développeur web »
lists the « Développeur web et web mobile » title and the offers that prepare it, the nearest first when a commune
is given, with a link to the formation search near that commune.

Geography, ROME, certifications and ONISEP are the shipped files, imported once for the module and rolled back; the
LHÉO offers are written here (the shipped LHÉO file is a single example).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from spro.referentials.certifications.importers import CertifInfoDataset, NsfBcnDataset
from spro.referentials.formations.importers import OnisepDataset
from spro.referentials.geo.importers import GeoDataset
from spro.referentials.geo.models import Commune
from spro.referentials.offers.models import Action, Formation, FormationRome, OrganismeFormation
from spro.referentials.rome.importers import RomeDataset
from spro.referentials.rome.models import FicheMetier
from spro.search.details import certification_detail, metier_detail
from tests.conftest import imported

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

BREST, QUIMPER, RENNES = "29019", "29232", "35238"
DWWM = "114920"  # Certif Info: Titre professionnel développeur web et web mobile (RNCP 37674, ROME M1805)


@pytest.fixture(scope="module")
def referentials(django_db_setup, django_db_blocker):
    datasets = (GeoDataset(), RomeDataset(), NsfBcnDataset(), CertifInfoDataset(), OnisepDataset())
    with imported(django_db_blocker, *datasets):
        yield


def _offer(numero: str, intitule: str, commune: str, **codes) -> Formation:
    organisme, _ = OrganismeFormation.objects.get_or_create(
        siret="12345678900011", defaults={"nom": "Organisme"}
    )
    offer = Formation.objects.create(
        numero=numero, intitule=intitule, organisme=organisme, content_hash="x", **codes
    )
    place = Commune.objects.get(code_insee=commune)
    Action.objects.create(formation=offer, numero="1", lieu_commune=place, lieu_code_insee=commune)
    return offer


@pytest.fixture
def offers(referentials):
    by_code = _offer("of-rennes", "Développeur web et web mobile (Rennes)", RENNES, codes_certifinfo=[DWWM])
    by_rncp = _offer("of-brest", "Développeur web et web mobile (Brest)", BREST, codes_rncp=["RNCP37674"])
    by_rome = _offer("of-quimper", "Intégrateur web (Quimper)", QUIMPER)
    FormationRome.objects.create(formation=by_rome, fiche=FicheMetier.objects.get(code_rome="M1855"))
    _offer("of-autre", "Aide-soignant (Brest)", BREST, codes_certifinfo=["999999"], codes_rncp=["4495"])
    return by_code, by_rncp, by_rome


def test_the_m1855_fiche_lists_the_web_developer_title_of_its_rome_code(referentials):
    m1855 = metier_detail("M1855")
    assert "Titre professionnel développeur web et web mobile" in [
        c["libelle"] for c in m1855["certifications"]
    ]
    assert "TP Développeur web et web mobile" in [f["libelle"] for f in m1855["formations"]]


def test_offers_preparing_a_certification_of_the_fiche_are_listed_by_its_codes(offers):
    listed = {f["id"] for f in metier_detail("M1855")["formations"]}
    assert {"offre-of-rennes", "offre-of-brest", "offre-of-quimper"} <= listed
    assert "offre-of-autre" not in listed
    # The certification page finds the offer that names it by RNCP number only.
    assert "offre-of-brest" in {f["id"] for f in certification_detail(f"certifinfo-{DWWM}")["formations"]}


def test_with_a_commune_the_nearest_offers_come_first(offers):
    detail = metier_detail("M1855", commune=BREST)
    first = detail["formations"][: detail["formations_proches"]]
    assert [f["id"] for f in first] == ["offre-of-brest", "offre-of-quimper", "offre-of-rennes"]
    assert first[0]["distance_km"] == 0 and 40 < first[1]["distance_km"] < 80 < first[2]["distance_km"]
    assert metier_detail("M1855")["formations_proches"] == 0


def test_the_fiche_page_shows_them_near_the_person_with_a_search_link(client, offers):
    html = client.get("/metiers/M1855", {"commune": BREST}).content.decode()
    assert "Les formations les plus proches de Brest sont en tête." in html
    assert html.index("Développeur web et web mobile (Brest)") < html.index("Intégrateur web (Quimper)")
    assert "(à 0.0 km)" in html or "(à 0,0 km)" in html
    link = (
        html.split('id="formations-recherche"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    )
    params = parse_qs(urlsplit(link).query)
    assert params["type"] == ["formation"] and params["commune"] == [BREST]
    assert "Parcoursup" in html and "par leur intitulé" in html
    # Without a commune, the page asks for one and links to the search without a place.
    html = client.get("/metiers/M1855").content.decode()
    assert 'href="#commune-tension"' in html and "Indiquer ma commune" in html
