"""The public API (`/api/v1/structures`) and pages (`/structures`, `/structures/<id>`): answers and 4xx errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import spro
from tests.core.test_templates_i18n import untranslated_text

from .conftest import import_file, service, structure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.SPRO_API_RATE_LIMIT = ""


@pytest.fixture
def network(geo, write_document):
    report = import_file(
        write_document(
            [
                structure("rennes", nom="CIO de Rennes", zone_competence=["35"], demo=True),
                structure("cesson", nom="CIO de Cesson", code_insee="35051", zone_competence=["35"]),
                structure(
                    "ml",
                    nom="Mission locale de Rennes",
                    typologie="ML",
                    publics=["jeunes"],
                    age_min=16,
                    age_max=25,
                ),
                structure("brest", nom="CIO de Brest", code_insee="29019", zone_competence=["29"]),
            ],
            [service("rennes"), service("rennes", 2, nom="Documentation", type="information")],
        )
    )
    assert report.status == "success", report.error


def test_api_finds_the_nearest_structures_of_a_typology(client, network):
    response = client.get("/api/v1/structures", {"commune": "35238", "typologie": "CIO", "rayon_km": 20})
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 2 and data["commune"] == "35238" and data["rayon_km"] == 20
    assert [r["id"] for r in data["resultats"]] == ["test--rennes", "test--cesson"]
    first = data["resultats"][0]
    assert first["distance_km"] == 0 and first["url"] == "/structures/test--rennes" and first["demo"] is True
    assert first["typologie_libelle"].startswith("Centre d'information")


def test_api_age_and_competence_filters(client, network):
    young = client.get("/api/v1/structures", {"commune": "35238", "age": 18}).json()
    older = client.get("/api/v1/structures", {"commune": "35238", "age": 40}).json()
    assert "test--ml" in [r["id"] for r in young["resultats"]]
    assert "test--ml" not in [r["id"] for r in older["resultats"]]
    seniors = client.get("/api/v1/structures", {"commune": "35238", "public": "seniors"}).json()
    assert "test--ml" not in [r["id"] for r in seniors["resultats"]] and seniors["total"] == 2
    assert client.get("/api/v1/structures", {"commune": "35238", "ouvert": "true"}).status_code == 200
    far = client.get("/api/v1/structures", {"commune": "29019", "rayon_km": 200}).json()
    assert [r["id"] for r in far["resultats"]] == [
        "test--brest"
    ]  # the CIO of département 35 do not cover Brest


def test_api_listing_without_commune_and_pages(client, network):
    data = client.get("/api/v1/structures", {"typologie": "CIO"}).json()
    assert [r["nom"] for r in data["resultats"]] == ["CIO de Brest", "CIO de Cesson", "CIO de Rennes"]
    assert data["rayon_km"] is None and data["resultats"][0]["distance_km"] is None
    assert client.get("/api/v1/structures", {"page": 2}).json()["resultats"] == []


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"commune": "99999"}, "commune-inconnue"),
        ({"commune": "Atlantide"}, "commune-inconnue"),
        ({"commune": "R" * 201}, "invalid-parameter"),
        ({"typologie": "LYCEE"}, "unknown-typologie"),
        ({"commune": "35238", "rayon_km": "0"}, "invalid-parameter"),
        ({"commune": "35238", "rayon_km": "500"}, "invalid-parameter"),
        ({"commune": "35238", "rayon_km": "nan"}, "invalid-parameter"),
        ({"page": "0"}, "invalid-parameter"),
        ({"age": "-3"}, "invalid-parameter"),
        ({"commune": "35238", "public": "martiens"}, "unknown-public"),
    ],
)
def test_api_bad_input_is_a_json_4xx(client, network, params, code):
    response = client.get("/api/v1/structures", params)
    assert response.status_code == 400
    assert response.json()["code"] == code and response.json()["detail"]


def test_api_fiche_and_unknown_id(client, network):
    data = client.get("/api/v1/structures/test--rennes").json()
    assert data["nom"] == "CIO de Rennes" and [s["nom"] for s in data["services"]] == [
        "Conseil en orientation",
        "Documentation",
    ]
    assert data["horaires"][0] == {"jour": "lundi", "heures": "9 h–12 h, 13 h 30–17 h"}
    assert data["langues"] == ["Français", "Langue des signes française (LSF)"]
    assert data["zone_competence"] == ["Département : Ille-et-Vilaine (35)"]
    for bad in ("/api/v1/structures/test--nope", "/api/v1/structures/a%00b"):
        response = client.get(bad)
        assert response.status_code == 404 and response.json()["code"] == "not-found"


def test_search_page_lists_structures_by_distance(client, network):
    response = client.get("/structures", {"commune": "Rennes", "typologie": "CIO"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("CIO de Rennes") < html.index("CIO de Cesson")
    assert "à 0,0 km" in html or "à 0.0 km" in html
    assert "Données de démonstration" in html
    # No inline code: the map's JSON data islands and same-origin static scripts only.
    assert all(
        'type="application/json"' in tag or 'src="/static/' in tag
        for tag in re.findall(r"<script[^>]*>", html)
    )


def test_search_page_form_errors_and_homonyms(client, network):
    assert client.get("/structures").status_code == 200
    unknown = client.get("/structures", {"commune": "Atlantide"})
    assert (
        unknown.status_code == 400
        and "Nous n’avons pas trouvé la commune « Atlantide »" in unknown.content.decode()
    )
    # A postal code shared by several communes (35000 here) offers them as links, each a search that settles it.
    shared = client.get("/structures", {"commune": "35000"})
    html = shared.content.decode()
    assert shared.status_code == 200 and "Plusieurs communes correspondent à « 35000 »" in html
    assert "Rennes" in html and "Vitré" in html and "CIO de Rennes" not in html
    by_name = client.get("/structures", {"commune": "rennes"})
    assert by_name.status_code == 200 and "CIO de Rennes" in by_name.content.decode()
    both = client.get("/structures", {"commune": "Rennes 35000"})
    assert both.status_code == 200 and "CIO de Rennes" in both.content.decode()
    assert client.get("/structures", {"commune": "35238", "typologie": "ZZZ"}).status_code == 400
    assert client.get("/structures", {"commune": "35238", "rayon_km": "abc"}).status_code == 400
    assert client.get("/structures", {"commune": "35238", "page": "0"}).status_code == 400
    # A control character is never a 500: the resolver removes it, and what remains is read (Rennes, 35238).
    hostile = client.get("/structures", {"commune": "35\x00238"})
    assert hostile.status_code == 200 and 'value="Rennes (35)"' in hostile.content.decode()
    assert "\x00" not in hostile.content.decode()


def test_fiche_page_shows_services_hours_channels_accessibility_and_zone(client, network):
    response = client.get("/structures/test--rennes")
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "CIO de Rennes",
        "Conseil en orientation",
        "Horaires d’accueil",
        "Lundi",
        "Téléphone",
        "Langue des signes française",
        "Ille-et-Vilaine",  # wheelchair access, unknown here, is not shown (tests/directory/test_structure_page.py)
    ):
        assert text in html, text
    assert client.get("/structures/test--nope").status_code == 404


@pytest.mark.parametrize(
    "template",
    sorted((Path(spro.__file__).parent / "directory" / "templates").glob("**/*.html")),
    ids=lambda path: path.name,
)
def test_templates_wrap_every_visible_text_for_translation(template):
    from django.utils.translation.template import templatize

    source = template.read_text(encoding="utf-8")
    assert untranslated_text(source) == []
    assert "gettext(" in templatize(source, origin=str(template))


def test_openapi_documents_the_directory_endpoints_like_the_others():
    from spro.api.views import openapi_schema

    paths = openapi_schema()["paths"]
    for path, operation_id in {
        "/api/v1/structures": "chercher_structures",
        "/api/v1/structures/{id}": "fiche_structure",
    }.items():
        operation = paths[path]["get"]
        assert operation["operationId"] == operation_id
        assert operation["summary"] and operation["description"], path
        assert set(operation["responses"]) >= {"200", "304", "400", "404", "429"}, path
        assert "ETag" in operation["responses"]["200"]["headers"]
        for parameter in operation["parameters"]:
            assert parameter.get("description"), (path, parameter["name"])
            assert parameter.get("examples") is None or isinstance(parameter["examples"], dict)
