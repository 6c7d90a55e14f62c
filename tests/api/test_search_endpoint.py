"""`GET /api/v1/recherche`: the contract's JSON shape, parameters passed to the search service, 400 on bad input."""

from __future__ import annotations

import pytest

URL = "/api/v1/recherche"


def test_search_returns_the_contract_shape(client, fake_search):
    response = client.get(URL, {"q": "infirmiere"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["q"] == "infirmiere"
    assert body["total"] == 1
    assert body["page"] == 1 and body["par_page"] == 10
    assert body["resultats"] == [
        {
            "type": "metier",
            "code": "J1506",
            "titre": "Infirmier / Infirmière en soins généraux",
            "url": "/metiers/J1506",
            "score": 12.5,
            "sous_titre": "",
            "distance_km": None,
        }
    ]
    assert body["facettes"]["type"] == [{"valeur": "metier", "libelle": "Métiers", "nombre": 1}]
    assert body["suggestion"] is None


def test_search_passes_every_filter_to_the_service(client, fake_search, api_communes):
    params = {
        "q": "cap patisserie",
        "type": "formation",
        "commune": "35238",
        "rayon_km": "30",
        "niveau": "3",
        "modalite": "apprentissage",
        "departement": "35",
        "region": "53",
        "public": "demandeur-emploi",
        "domaine": "D",
        "tri": "distance",
        "page": "2",
        "par_page": "20",
    }
    assert client.get(URL, params).status_code == 200
    q, kwargs = fake_search.calls[-1]
    assert q == "cap patisserie"
    assert kwargs == {
        "type": "formation",
        "commune": "35238",
        "rayon_km": 30.0,
        "niveau": "3",
        "modalite": "apprentissage",
        "departement": "35",
        "region": "53",
        "public": "demandeur-emploi",
        "domaine": "D",
        "tri": "distance",
        "page": 2,
        "par_page": 20,
    }


def test_search_without_filters_passes_defaults(client, fake_search):
    client.get(URL, {"q": "kiné"})
    _, kwargs = fake_search.calls[-1]
    assert kwargs["type"] is None and kwargs["commune"] is None and kwargs["rayon_km"] is None
    assert kwargs["tri"] == "pertinence" and kwargs["page"] == 1 and kwargs["par_page"] == 10


def test_corsican_codes_are_normalised_to_upper_case(client, fake_search, api_communes):
    client.get(URL, {"q": "x", "commune": "2a004", "departement": "2b"})
    _, kwargs = fake_search.calls[-1]
    assert kwargs["commune"] == "2A004" and kwargs["departement"] == "2B"


def test_empty_result_carries_the_suggestion(client, fake_search):
    body = client.get(URL, {"q": "rien"}).json()
    assert body["total"] == 0 and body["resultats"] == [] and body["suggestion"] == "infirmier"


def test_invalid_query_from_the_service_is_a_400_with_its_code(client, fake_search):
    response = client.get(URL, {"q": "invalide"})
    assert response.status_code == 400
    assert response.json() == {"detail": "La requête est vide.", "code": "requete_vide"}


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page": "101"}, "page"),
        ({"par_page": "51"}, "par_page"),
        ({"rayon_km": "-5"}, "rayon_km"),
        ({"rayon_km": "nan"}, "rayon_km"),
        ({"rayon_km": "inf"}, "rayon_km"),
        ({"rayon_km": "1e400"}, "rayon_km"),
        ({"type": "organisme"}, "type"),
        ({"tri": "prix"}, "tri"),
        ({"commune": "R" * 201}, "commune"),
        ({"departement": "999999"}, "departement"),
        ({"region": "xx"}, "region"),
        ({"q": "a" * 10_000}, "q"),
        ({"niveau": "9"}, "niveau"),
        ({"modalite": "presentiel"}, "modalite"),
        ({"public": "retraite"}, "public"),
        ({"domaine": "J; DROP"}, "domaine"),
    ],
)
def test_bad_parameters_are_a_400_in_the_error_shape(client, fake_search, params, parameter):
    response = client.get(URL, {"q": "infirmier", **params})
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid-parameter"
    assert f"« {parameter} »" in body["detail"]
    assert [problem["parametre"] for problem in body["erreurs"]] == [parameter]
    assert not fake_search.calls, "the service must not be called with invalid parameters"


@pytest.mark.parametrize(
    ("commune", "code_insee"),
    [
        ("Rennes", "35238"),
        ("35000", "35238"),
        ("rennes 35000", "35238"),
        ("Ajaccio", "2A004"),
        ("35238", "35238"),
    ],
)
def test_the_commune_is_a_name_a_postal_code_or_both(client, fake_search, api_communes, commune, code_insee):
    assert client.get(URL, {"q": "infirmier", "commune": commune}).status_code == 200
    assert fake_search.calls[-1][1]["commune"] == code_insee


def test_a_commune_that_fits_several_is_a_400_with_the_choices(client, fake_search, api_communes):
    response = client.get(URL, {"q": "infirmier", "commune": "Saint-Denis"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "commune-ambigue"
    assert sorted(choice["code_insee"] for choice in body["choix"]) == ["93066", "97411"]
    assert not fake_search.calls


@pytest.mark.parametrize("commune", ["Atlantide", "35238' OR 1=1 --", "99999"])
def test_an_unknown_commune_is_a_400_that_says_so(client, fake_search, api_communes, commune):
    response = client.get(URL, {"q": "infirmier", "commune": commune})
    assert response.status_code == 400
    assert response.json()["code"] == "commune-inconnue"
    assert not fake_search.calls


HOSTILE_QUERIES = [
    '"infirmier',
    '"""',
    "infirm*",
    "*",
    "infirmier NEAR boulanger",
    "NEAR(a b, 3)",
    "infirmier OR boulanger",
    "AND OR NOT",
    "'; DROP TABLE rome_fichemetier; --",
    "1' OR '1'='1",
    "infirmier\x00\x01\x1b[31m",
    "\u200binfirmier\u202e",
    "👩‍⚕️ infirmière 🏥",
    "a" * 500,
    "^$(){}[]|\\/:;!?+-~%&#@",
    "col:infirmier",
    "{NEAR}",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_reach_the_service_cleaned(client, fake_search, query):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    q, _ = fake_search.calls[-1]
    assert not any(ord(char) < 32 or char in "\u200b\u202e" for char in q)


def test_control_characters_are_removed_before_the_service(client, fake_search):
    client.get(URL, {"q": "infirmier\x00\x07 de\tbloc"})
    assert fake_search.calls[-1][0] == "infirmier   de bloc"


def test_unknown_parameters_are_ignored(client, fake_search):
    assert client.get(URL, {"q": "x", "format": "xml"}).status_code == 200
