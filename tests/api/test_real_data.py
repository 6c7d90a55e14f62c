"""End to end on real built-in data (geography, ROME, BCN, Certif Info, ONISEP, with the pages' import helper),
indexed by search-core: the real service and detail dicts pass the API's response schemas, and
hostile queries reach the real search backend (SQLite FTS5 or PostgreSQL) without a 500."""

from __future__ import annotations

import pytest

from spro.referentials.importing.registry import all_datasets
from tests.conftest import imported

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

URL = "/api/v1/recherche"


@pytest.fixture(scope="module")
def indexed(django_db_setup, django_db_blocker):
    from spro.search import service
    from spro.search.indexing import rebuild_index

    datasets = all_datasets()
    with imported(
        django_db_blocker, *(datasets[name]() for name in ("geo", "rome", "bcn", "certifinfo", "onisep"))
    ):
        rebuild_index()
        service._labels_cache.clear()
        try:
            yield
        finally:
            service._labels_cache.clear()


def test_real_search_answers_the_contract_shape(client, indexed):
    response = client.get(URL, {"q": "infirmiere", "type": "metier"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total"] >= 1
    first = body["resultats"][0]
    assert set(first) >= {"type", "code", "titre", "url", "score"}
    assert first["type"] == "metier" and first["url"] == f"/metiers/{first['code']}"


def test_real_search_results_link_to_working_api_details(client, indexed):
    body = client.get(URL, {"q": "patissier", "par_page": 20}).json()
    kinds = {"metier": "metiers", "formation": "formations", "certification": "certifications"}
    checked = set()
    for hit in body["resultats"]:
        if hit["type"] in checked:
            continue
        response = client.get(f"/api/v1/{kinds[hit['type']]}/{hit['code']}")
        assert response.status_code == 200, (hit, response.content)
        checked.add(hit["type"])
    assert "metier" in checked


def test_real_metier_detail_passes_the_schema(client, indexed):
    code = client.get(URL, {"q": "boulanger", "type": "metier"}).json()["resultats"][0]["code"]
    body = client.get(f"/api/v1/metiers/{code}").json()
    assert body["code_rome"] == code
    assert body["appellations"] and body["competences"]
    assert client.get(f"/api/v1/metiers/{code}", {"commune": "35238"}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        '"infirmier',
        "infirm*",
        "*",
        "infirmier NEAR boulanger",
        "NEAR(infirmier boulanger, 2)",
        "infirmier OR boulanger",
        "AND OR NOT",
        "'; DROP TABLE rome_fichemetier; --",
        "1' OR '1'='1",
        "infirmier\x00\x01\x1b",
        "👩‍⚕️ infirmière 🏥",
        "^$(){}[]|\\/:;!?+-~%&#@",
        "titre:infirmier",
        "a" * 500,
        "a" * 10_000,
    ],
)
def test_hostile_queries_never_reach_a_500(client, indexed, query):
    response = client.get(URL, {"q": query})
    assert response.status_code in {200, 400}, response.content
    body = response.json()
    if response.status_code == 400:
        assert set(body) >= {"detail", "code"}
    else:
        assert "resultats" in body


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/metiers/Z9999",
        "/api/v1/formations/onisep-FOR.0",
        "/api/v1/formations/x",
        "/api/v1/certifications/x",
    ],
)
def test_real_unknown_codes_are_404(client, indexed, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not-found"


def test_unknown_commune_is_a_400_from_the_service(client, indexed):
    response = client.get(URL, {"q": "boulanger", "commune": "99999"})
    assert response.status_code == 400
    assert response.json()["code"]
