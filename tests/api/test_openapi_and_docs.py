"""The OpenAPI 3 document (valid, versioned, in French, every error documented) and the browsable docs page."""

from __future__ import annotations

import re

import schemathesis

from spro.api.views import openapi_schema

OPERATIONS = {
    "/api/v1/recherche": "rechercher",
    "/api/v1/metiers/{code_rome}": "fiche_metier",
    "/api/v1/metiers/{code_rome}/mobilites": "mobilites_metier",
    "/api/v1/formations/{id}": "fiche_formation",
    "/api/v1/certifications/{id}": "fiche_certification",
    "/api/v1/structures": "chercher_structures",
    "/api/v1/structures/{id}": "fiche_structure",
    "/api/v1/aides": "aides",
    "/api/v1/indicateurs": "indicateurs",
    "/api/v1/indicateurs/{code}": "indicateur",
}
POST_OPERATIONS = {"/api/v1/analyse": "analyser"}


def test_openapi_document_is_served_as_json(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["version"] == "1"
    assert "orientation" in document["info"]["title"]


def test_openapi_document_lists_every_endpoint_with_french_text():
    document = openapi_schema()
    assert set(document["paths"]) == set(OPERATIONS) | set(POST_OPERATIONS)
    for path, operation_id in POST_OPERATIONS.items():
        operation = document["paths"][path]["post"]
        assert operation["operationId"] == operation_id
        assert operation["summary"] and operation["description"], path
        assert set(operation["responses"]) >= {"200", "400", "429"}, path
        assert "ETag" not in operation["responses"]["200"].get("headers", {})  # a POST answer is never cached
    for path, operation_id in OPERATIONS.items():
        operation = document["paths"][path]["get"]
        assert operation["operationId"] == operation_id
        assert operation["summary"] and operation["description"], path
        assert set(operation["responses"]) >= {"200", "304", "400", "404", "429"}, path
        assert "ETag" in operation["responses"]["200"]["headers"]
        assert "Retry-After" in operation["responses"]["429"]["headers"]
        for parameter in operation["parameters"]:
            assert parameter.get("description"), (path, parameter["name"])
            examples = parameter.get("examples")
            assert examples is None or isinstance(examples, dict), "OpenAPI wants a map of Example Objects"
    assert "400" in document["paths"]["/api/v1/recherche"]["get"]["responses"]


def test_search_parameters_are_documented_with_their_limits():
    operation = openapi_schema()["paths"]["/api/v1/recherche"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert set(parameters) >= {
        "q",
        "type",
        "commune",
        "rayon_km",
        "niveau",
        "modalite",
        "departement",
        "region",
        "public",
        "domaine",
        "tri",
        "page",
        "par_page",
        "X-Api-Key",
    }
    assert parameters["q"]["schema"]["maxLength"] == 500
    assert parameters["page"]["schema"]["minimum"] == 1
    assert parameters["X-Api-Key"]["in"] == "header"


def test_response_schemas_have_titles_descriptions_and_examples():
    schemas = openapi_schema()["components"]["schemas"]
    for name in ("SearchOut", "HitOut", "ErrorOut", "MetierOut", "FormationOut", "CertificationOut"):
        assert schemas[name]["title"], name
        assert schemas[name].get("examples"), name
        for field_name, field_schema in schemas[name]["properties"].items():
            assert field_schema.get("description"), (name, field_name)
    assert schemas["ErrorOut"]["required"] == ["detail", "code"]


def test_schemathesis_loads_the_document():
    schema = schemathesis.openapi.from_dict(openapi_schema())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} == set(OPERATIONS) | set(POST_OPERATIONS)


def test_docs_page_is_server_rendered_without_scripts(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "<script" not in html
    assert 'href="/api/v1/openapi.json"' in html
    assert (
        "Content-Security-Policy" in response and "script-src 'self'" in response["Content-Security-Policy"]
    )
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert not re.search(r"https?://", main), "the documentation links to no third-party host"
    for text in (
        "/api/v1/recherche",
        "/api/v1/metiers/{code_rome}",
        "Retry-After",
        "If-None-Match",
        "Access-Control-Allow-Origin",
        "/api/v2/",
        "rayon_km",
        "par_page",
    ):
        assert text in html, text
    assert html.count("<h1") == 1
