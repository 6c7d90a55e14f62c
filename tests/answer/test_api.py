"""`POST /api/v1/analyse`: docs/contracts.md JSON, 4xx errors in the API's shape, the OpenAPI document, a stats row."""

from __future__ import annotations

import json

import pytest

from spro.answer.models import AnswerStat
from spro.api.views import openapi_schema

from .support import make_communes

pytestmark = pytest.mark.django_db
URL = "/api/v1/analyse"


@pytest.fixture(autouse=True)
def communes(settings):
    settings.SPRO_API_RATE_LIMIT = "1000/minute"
    make_communes()


def post(client, body, **extra):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", **extra)


def test_an_answer_has_the_contract_shape_and_is_never_cached(client):
    response = post(
        client, {"text": "je veux devenir infirmière", "profile": {"age": 30, "commune": "35238"}}
    )
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    assert set(data) == {
        "besoins",
        "metiers",
        "orientations",
        "etapes",
        "ressources",
        "profil",
        "langue",
        "avertissements",
    }
    assert data["besoins"] and all(
        set(b) == {"code", "score"} and 0 <= b["score"] <= 1 for b in data["besoins"]
    )
    assert data["orientations"], data
    for orientation in data["orientations"]:
        assert {"typologie", "raison", "structures"} <= set(orientation)
        for structure in orientation["structures"]:
            assert {"id", "nom", "commune", "distance_km"} <= set(structure)
    assert all(isinstance(step, str) for step in data["etapes"])
    assert all({"titre", "url"} == set(r) for r in data["ressources"])
    assert data["profil"]["age"] == 30


def test_the_answer_is_counted_as_an_api_answer(client):
    post(
        client,
        {
            "text": "je cherche un emploi",
            "profile": {"age": 30, "statut": "demandeur-emploi", "commune": "29019"},
        },
    )
    row = AnswerStat.objects.get()
    assert (row.channel, row.age_band, row.statut, row.departement_id) == (
        "api",
        "26-44",
        "demandeur-emploi",
        "29",
    )


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("{not json", "json-invalide"),
        (b"\xff\xfe", "json-invalide"),
        ("", "corps-invalide"),
        ("[1, 2]", "corps-invalide"),
        ({"texte": "bonjour"}, "corps-invalide"),
        ({"text": 12}, "texte-invalide"),
        ({"text": ""}, "texte-vide"),
        ({"text": "infirmière", "profile": {"age": 300}}, "age-invalide"),
        ({"text": "infirmière", "profile": {"statut": "chomeur"}}, "statut-invalide"),
        ({"text": "infirmière", "profile": {"commune": "00000"}}, "commune-inconnue"),
        ({"text": "infirmière", "profile": {"handicap": "oui"}}, "handicap-invalide"),
        ({"text": "infirmière", "profile": {"ville": "Rennes"}}, "profil-cle-inconnue"),
    ],
)
def test_bad_requests_get_a_400_in_the_api_error_shape(client, body, code):
    response = post(client, body)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert not AnswerStat.objects.exists()


def test_get_is_refused_with_a_json_error(client):
    response = client.get(URL)
    assert response.status_code == 405
    assert response.json()["code"] == "method-not-allowed"
    assert response["Allow"] == "POST"


def test_the_endpoint_is_rate_limited_like_the_rest(client, settings):
    settings.SPRO_API_RATE_LIMIT = "2/minute"
    from django.core.cache import cache

    cache.clear()
    statuses = [post(client, {"text": "je cherche un emploi"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_the_openapi_document_describes_the_endpoint():
    document = openapi_schema()
    operation = document["paths"][URL]["post"]
    assert operation["operationId"] == "analyser"
    assert operation["summary"] and "texte" in operation["description"]
    assert {"200", "400", "429"} <= set(operation["responses"])
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["properties"]) == {"text", "profile"}
    assert set(body["properties"]["profile"]["properties"]) == {"age", "statut", "handicap", "commune"}
    assert "ETag" not in operation["responses"]["200"].get("headers", {})
    schemas = document["components"]["schemas"]
    assert set(schemas["AnalyseAnswerOut"]["properties"]) >= {"besoins", "metiers", "orientations", "etapes"}
    assert "MetierOut" in schemas and "AnalyseMetierOut" in schemas  # no clash with the fiche métier's schema
