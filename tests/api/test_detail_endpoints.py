"""`GET /api/v1/metiers|formations|certifications/{code}`: the pages' detail dicts, 404 JSON for unknown codes."""

from __future__ import annotations

import pytest

from .conftest import CERTIFICATION, FORMATION, METIER


def test_metier_returns_the_detail_dict_with_every_key(client, fake_details):
    response = client.get("/api/v1/metiers/J1506")
    assert response.status_code == 200
    body = response.json()
    for key, value in METIER.items():
        assert body[key] == value, key  # undeclared keys ("nouvelle_cle") are kept as the pages give them
    assert fake_details["metier"] == [("J1506", None)]


def test_metier_passes_the_commune_for_local_tension(client, fake_details, api_communes):
    assert client.get("/api/v1/metiers/J1506", {"commune": "35238"}).status_code == 200
    assert client.get("/api/v1/metiers/J1506", {"commune": "Rennes"}).status_code == 200
    assert client.get("/api/v1/metiers/J1506", {"commune": "35000"}).status_code == 200
    assert fake_details["metier"] == [("J1506", "35238")] * 3


@pytest.mark.parametrize(
    ("commune", "code"),
    [
        ("Rennes<script>", "commune-inconnue"),
        ("Atlantide", "commune-inconnue"),
        ("Saint-Denis", "commune-ambigue"),
    ],
)
def test_metier_with_an_unknown_or_ambiguous_commune_is_a_400(
    client, fake_details, api_communes, commune, code
):
    """Like /recherche and /structures (it used to answer 200 without the local figure, or refuse a name)."""
    response = client.get("/api/v1/metiers/J1506", {"commune": commune})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code
    assert ("choix" in body) is (code == "commune-ambigue")
    assert fake_details["metier"] == []


def test_formation_and_certification_return_their_detail_dicts(client, fake_details):
    formation = client.get(f"/api/v1/formations/{FORMATION['id']}")
    assert formation.status_code == 200
    assert formation.json()["titre"] == "BTS SIO" and formation.json()["id"] == FORMATION["id"]
    certification = client.get(f"/api/v1/certifications/{CERTIFICATION['id']}")
    assert certification.status_code == 200
    assert certification.json()["libelle"] == "CAP pâtissier"
    assert certification.json()["niveau_europeen"] == 3


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/metiers/Z9999",
        "/api/v1/metiers/j1506",
        "/api/v1/formations/onisep-FOR.0",
        "/api/v1/formations/inconnu",
        "/api/v1/certifications/certifinfo-0",
        "/api/v1/certifications/' OR 1=1 --",
    ],
)
def test_unknown_codes_are_a_json_404(client, fake_details, path):
    response = client.get(path)
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not-found" and body["detail"]


@pytest.mark.parametrize(
    "path", ["/api/v1/metiers/J15%0006", "/api/v1/metiers/" + "J" * 10_000, "/api/v1/formations/%E2%80%AEx"]
)
def test_impossible_codes_are_a_404_without_calling_the_pages(client, fake_details, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not-found"
    assert fake_details == {"metier": [], "formation": [], "certification": []}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nexiste-pas",
        "/api/v1/metiers/",
        "/api/v1/metiers/J1506/extra",
        "/api/v1/structures/P%C3%87%0A",  # a trailing newline (found by the fuzzer): JSON too, not the HTML page
    ],
)
def test_unknown_paths_are_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not-found"


def test_api_root_points_to_the_documentation(client):
    body = client.get("/api/v1/").json()
    assert body["version"] == "1"
    assert body["documentation"] == "/api/v1/docs" and body["openapi"] == "/api/v1/openapi.json"
