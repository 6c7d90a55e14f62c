"""`GET /api/v1/metiers/{code_rome}/mobilites` (spro/search/api.py) on the small ROME graph: 200 with the parcours,
404 for an unknown fiche, 400 for bad parameters (never a 500), and its place in the OpenAPI document."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from spro.api.views import openapi_schema
from tests.referentials.rome.mobilites_graph import CHARGES, build_graph

pytestmark = pytest.mark.django_db

URL = "/api/v1/metiers/{}/mobilites"


@pytest.fixture(autouse=True)
def graph(db):
    cache.clear()  # rate limits and cached answers
    build_graph()


def test_200_with_one_and_two_steps(client):
    response = client.get(URL.format("O0001"))
    assert response.status_code == 200
    body = response.json()
    assert body["metier"]["code_rome"] == "O0001" and body["pas"] == 2
    assert [c["code_rome"] for c in body["un_pas"]] == ["P0001", "P0002"]
    assert [c["code_rome"] for c in body["deux_pas"]] == ["Q0001", "Q0003", "Q0002"]
    p1 = body["un_pas"][0]
    assert (
        p1["url"] == "/metiers/P0001" and p1["pas"] == 1 and p1["ordre"] == 1 and p1["meme_domaine"] is True
    )
    assert [i["code_ogr"] for i in p1["competences_a_acquerir"]] == ["c3", "e1", "s1"]
    assert p1["competences_a_acquerir"][0] == {
        "code_ogr": "c3",
        "libelle": "Commander un aiguillage",
        "nature": "savoir_faire",
        "coeur_metier": True,
    }
    assert p1["competences_en_commun"] == 1
    assert p1["certifications"] == [] and p1["formations"] == [] and p1["formations_total"] == 0
    assert p1["formations_recherche"].startswith("/recherche?")
    assert [e["code_rome"] for e in body["deux_pas"][1]["via"]] == ["P0001", "P0002"]
    assert {c["code"] for c in body["contextes_filtrables"]} == {CHARGES, "300800"}


def test_filters_pas_and_contexte(client):
    body = client.get(URL.format("O0001"), {"pas": "1", "sans_contexte": CHARGES}).json()
    assert [c["code_rome"] for c in body["un_pas"]] == ["P0001"] and body["deux_pas"] == []
    assert body["sans_contexte"] == [
        {"code": CHARGES, "libelle": "Port et manipulation de charges lourdes ou encombrantes"}
    ]
    assert body["cibles_ecartees"] == 1
    repeated = client.get(URL.format("O0001") + f"?sans_contexte={CHARGES}&sans_contexte=23374").json()
    assert [c["code_rome"] for c in repeated["un_pas"] + repeated["deux_pas"]] == ["P0001"]


@pytest.mark.parametrize("code", ["Z9999", "R0001", "x" * 100, "O0001%00"])
def test_404_unknown_or_retired_fiche(client, code):
    response = client.get(URL.format(code))
    assert response.status_code == 404
    assert response.json()["code"] == "not-found" and response.json()["detail"]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"pas": "3"}, "invalid-parameter"),
        ({"pas": "0"}, "invalid-parameter"),
        ({"pas": "deux"}, "invalid-parameter"),
        ({"sans_contexte": "999999"}, "contexte-inconnu"),
        ({"sans_contexte": "'; drop table x"}, "contexte-inconnu"),
        ({"commune": "Nullepart-sur-Rien 00000"}, "commune-inconnue"),
    ],
)
def test_400_bad_parameters(client, query, code):
    response = client.get(URL.format("O0001"), query)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code and response.json()["detail"]


def test_documented_in_openapi(client):
    operation = openapi_schema()["paths"]["/api/v1/metiers/{code_rome}/mobilites"]["get"]
    assert operation["operationId"] == "mobilites_metier"
    assert {p["name"] for p in operation["parameters"]} >= {"code_rome", "pas", "sans_contexte", "commune"}
    assert {"200", "400", "404"} <= set(operation["responses"])
    for status in ("400", "404"):  # the shared error shape of spro.core.api
        assert operation["responses"][status]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorOut"
        }
