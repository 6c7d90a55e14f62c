"""`GET /api/v1/aides` (200, 400 in the API's error shape, never 500; documented in OpenAPI) and the page `/aides`
(GET form, result cards with the matched condition, error summary); the commune's territory from the geography
referential, a Region's scheme limited to its territory."""

from __future__ import annotations

import pytest

from spro.aides.territoire import lieu_of
from tests.aides.support import VALID, write
from tests.geography import Row, add_communes

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes():
    add_communes(
        Row("35238", "Rennes", "35", ("35000",), population=220000, epci="243500139"),
        Row("29019", "Brest", "29", ("29200",), population=140000, epci="242900314"),
    )
    add_communes(
        Row("69123", "Lyon", "69", ("69001",), population=520000),
        region="84",
        region_nom="Auvergne-Rhône-Alpes",
    )


@pytest.fixture
def region_scheme(settings, tmp_path, communes):
    """A Region's scheme for the Rennes EPCI only."""
    settings.SPRO_ANSWER_RULES_DIR = str(tmp_path)
    text = VALID.format(id="bretagne-transport").replace('regions: ["53"]', 'epci: ["243500139"]')
    write(tmp_path / "dispositifs", text=text)


def test_lieu_of_reads_the_region_the_departement_and_the_epci(communes):
    rennes = lieu_of("35238")
    assert (rennes.departement, rennes.region, rennes.region_nom, rennes.epci) == (
        "35",
        "53",
        "Bretagne",
        "243500139",
    )
    assert lieu_of("99999") is None


def test_api_answers_the_contract_shape(client):
    response = client.get("/api/v1/aides", {"age": 17, "statut": "sans-activite", "handicap": "false"})
    assert response.status_code == 200
    aides = response.json()["aides"]
    cej = next(a for a in aides if a["code"] == "cej")
    assert cej["titre"] == "Contrat d’engagement jeune (CEJ)"
    assert cej["eligibilite"] == "oui" and "vous avez 17 ans, et c’est de 16 à 25 ans" in cej["conditions"]
    assert cej["structures"] == ["ML", "FT"] and cej["source"].startswith("https://")
    assert cej["verifie_le"] == "2026-12-07"
    assert "ptp" not in {a["code"] for a in aides}  # salariés only
    kinds = [a["eligibilite"] for a in aides]
    assert kinds == sorted(kinds, key=lambda k: k != "oui")


def test_api_territory_in_and_out(client, region_scheme):
    inside = client.get("/api/v1/aides", {"age": 20, "statut": "demandeur-emploi", "commune": "35238"}).json()
    outside = client.get(
        "/api/v1/aides", {"age": 20, "statut": "demandeur-emploi", "commune": "29019"}
    ).json()
    unknown = client.get("/api/v1/aides", {"age": 20, "statut": "demandeur-emploi"}).json()
    by_code = lambda body: {a["code"]: a for a in body["aides"]}  # noqa: E731
    assert by_code(inside)["bretagne-transport"]["eligibilite"] == "oui"
    assert "bretagne-transport" not in by_code(outside)
    assert by_code(unknown)["bretagne-transport"]["eligibilite"] == "peut-etre"
    assert by_code(unknown)["bretagne-transport"]["a_verifier"] == [
        "votre commune : ce n’est pas partout en France"
    ]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"age": "abc"}, "invalid-parameter"),
        ({"age": "500"}, "invalid-parameter"),
        ({"statut": "chomeur"}, "invalid-parameter"),
        ({"niveau": "bac"}, "invalid-parameter"),
        ({"handicap": "peut-etre"}, "invalid-parameter"),
        ({"commune": "Nullepart-sur-Mer"}, "commune-inconnue"),
        ({"commune": "x" * 201}, "invalid-parameter"),
    ],
)
def test_api_bad_parameters_are_400_in_the_error_shape(client, communes, params, code):
    response = client.get("/api/v1/aides", params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code and body["detail"]


def test_api_is_documented_in_openapi(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/aides"]["get"]
    query = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
    assert query == {"age", "statut", "handicap", "niveau", "commune"}
    assert {"200", "400"} <= set(operation["responses"])
    assert (
        operation["responses"]["400"]["content"]["application/json"]["schema"]
        == (
            schema["paths"]["/api/v1/structures"]["get"]["responses"]["400"]["content"]["application/json"][
                "schema"
            ]
        )
    )


def test_page_without_answers_shows_the_form(client):
    response = client.get("/aides")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_age">Votre âge</label>' in html and 'method="get"' in html
    assert "aide-card" not in html


def test_page_shows_cards_with_the_matched_condition_and_how_to_get_it(client, communes):
    response = client.get(
        "/aides", {"age": "17", "statut": "sans-activite", "handicap": "non", "commune": "Rennes"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    card = html.split('id="aide-cej"', 1)[1].split("</li>", 1)[0]
    assert "Parce que :</strong> vous êtes sans activité ; vous avez 17 ans, et c’est de 16 à 25 ans" in card
    assert "Comment l’obtenir :" in card and "Mission locale" in card
    assert "Commune : Rennes" in html
    assert "Peut-être, selon votre situation" in html  # e2c: the diploma was not said


def test_page_with_an_error_has_the_summary_with_focus_and_status_400(client):
    response = client.get("/aides", {"age": "200"})
    html = response.content.decode()
    assert response.status_code == 400
    assert (
        'class="notice notice--error error-summary" role="alert" id="erreurs-formulaire" tabindex="-1" autofocus'
        in html
    )
    assert '<a href="#id_age">Votre âge : L’âge doit être compris entre 10 et 100 ans.</a>' in html
    assert "aide-card" not in html


def test_the_site_map_links_the_page_and_the_main_menu_does_not(client):
    assert 'href="/aides"' in client.get("/plan-du-site/").content.decode()
    home = client.get("/").content.decode()
    menu = (
        home.split('class="site-menu"', 1)[1].split("</details>", 1)[0] if 'class="site-menu"' in home else ""
    )
    assert 'href="/aides"' not in menu
