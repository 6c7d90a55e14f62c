"""Issue 12 §3: `/api/v1/` and `/api/v1/docs` list every routed operation, read from the OpenAPI document, and the
docs page describes the POST `/analyse` truthfully (the API is not read-only, it stores no text)."""

from __future__ import annotations

from spro.api.views import openapi_schema


def test_index_lists_every_path_and_operation_of_the_openapi_document(client):
    body = client.get("/api/v1/").json()
    paths = openapi_schema()["paths"]
    assert set(body["endpoints"]) == set(paths)
    listed = {(row["methode"], row["chemin"]) for row in body["operations"]}
    assert listed == {(method.upper(), path) for path, item in paths.items() for method in item}
    assert ("POST", "/api/v1/analyse") in listed and ("GET", "/api/v1/structures") in listed
    assert all(row["resume"] for row in body["operations"])


def test_docs_page_lists_every_operation_and_does_not_claim_read_only(client):
    html = client.get("/api/v1/docs").content.decode()
    for path, item in openapi_schema()["paths"].items():
        for method in item:
            assert f"<code>{method.upper()}</code></td><td><code>{path}</code>" in html, (method, path)
    assert "POST /api/v1/analyse" in html and "GET /api/v1/structures" in html
    assert "lecture seule" not in html
    assert 'id="analyse"' in html and 'id="structures"' in html


def test_docs_page_says_what_analyse_stores(client):
    html = client.get("/api/v1/docs").content.decode()
    section = html.split('id="analyse"', 1)[1].split("<h2", 1)[0]
    assert "ne conserve pas ce texte" in html
    assert "ni le texte" in section and "statistiques" in section and "no-store" in section


def test_docs_page_lists_the_directory_parameters_from_the_schema(client):
    html = client.get("/api/v1/docs").content.decode()
    section = html.split('id="structures"', 1)[1].split("<h2", 1)[0]
    operation = openapi_schema()["paths"]["/api/v1/structures"]["get"]
    for parameter in operation["parameters"]:
        if parameter["in"] == "query":
            assert f"<code>{parameter['name']}</code>" in section, parameter["name"]
