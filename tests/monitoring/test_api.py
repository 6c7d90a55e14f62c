"""`GET /api/v1/indicateurs` and `/indicateurs/{code}`: public indicators only, figures through the suppression,
400 with a clear message on bad parameters, 404 on an unknown or non-public indicator; in the OpenAPI document."""

from __future__ import annotations

import pytest

from spro.api.views import openapi_schema

from .conftest import add_contact

pytestmark = pytest.mark.django_db


def test_the_list_gives_the_public_indicators_with_their_definitions(client):
    body = client.get("/api/v1/indicateurs").json()
    codes = {row["code"]: row for row in body}
    assert codes["premiers-contacts"]["disponible"] is True
    assert "canal" in codes["premiers-contacts"]["ventilations"]
    assert codes["satisfaction"]["disponible"] is True and codes["satisfaction"]["mesure"] == "taux"
    assert all(row["statut"] for row in body if not row["disponible"])  # not computed: says why
    assert "decrochage-issues" not in codes


def test_a_table_hides_small_counts(client, network):
    for channel, n in (("telephone", 7), ("sur-place", 6), ("chat", 2)):
        for _ in range(n):
            add_contact(network, channel=channel)
    response = client.get("/api/v1/indicateurs/premiers-contacts?ventilation=canal&debut=2026-03&fin=2026-03")
    assert response.status_code == 200
    body = response.json()
    assert body["lignes"][0]["valeurs"] == {"sur-place": "masqué", "telephone": 7, "chat": "< 5"}
    assert body["total"] == 15
    assert body["periode_precedente"] == {"debut": "2026-02", "fin": "2026-02", "total": 0}
    by_department = client.get(
        "/api/v1/indicateurs/premiers-contacts?niveau=region&debut=2026-03&fin=2026-03"
    )
    assert by_department.status_code == 200


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("ventilation=couleur", "ventilation : valeur attendue parmi"),
        ("ventilation=issue", "n’est pas permise pour cet indicateur"),
        ("niveau=canton", "niveau : valeur attendue parmi"),
        ("territoire=35", "territoire : forme attendue niveau:code"),
        ("territoire=departement:99", "inconnu"),
        ("debut=2026-3", "debut : mois attendu au format AAAA-MM"),
        ("debut=2026-05&fin=2026-01", "premier mois est après"),
        ("ventilation=" + "x" * 40, "ventilation"),
    ],
)
def test_bad_parameters_are_a_400_with_a_clear_message(client, query, message):
    response = client.get(f"/api/v1/indicateurs/premiers-contacts?{query}")
    assert response.status_code == 400, response.content
    assert message in response.json()["detail"]


def test_unknown_and_non_public_indicators_are_a_404(client):
    for code in ("inconnu", "decrochage-issues"):
        response = client.get(f"/api/v1/indicateurs/{code}")
        assert response.status_code == 404
        assert response.json()["code"] == "indicateur-inconnu"


def test_both_endpoints_are_in_the_openapi_document():
    paths = openapi_schema()["paths"]
    assert "/api/v1/indicateurs" in paths and "/api/v1/indicateurs/{code}" in paths
