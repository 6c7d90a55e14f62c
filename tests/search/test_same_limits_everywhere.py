"""The /recherche page, the API (GET /api/v1/recherche) and `spro recherche` accept the same page numbers, page sizes
and radii: those of spro/search/params.py. At the limit each surface answers; one step beyond, each refuses in its
own way (the page: 400 with its message; the API: 400 JSON; the command: exit 2). A surface given its own limit
again, higher or lower, fails here.
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from spro.search.params import MAX_PAGE, MAX_PAR_PAGE, MAX_RAYON_KM, PAGE_MESSAGE, RAYON_MESSAGE
from tests.search.core.conftest import index  # noqa: F401 - the module-wide indexed referential

pytestmark = pytest.mark.django_db

RENNES = "35238"
BEYOND_RAYON = MAX_RAYON_KM + 0.5

# (parameters, accepted?) — the same cases for the three surfaces
PAGE_CASES = [({"page": MAX_PAGE}, True), ({"page": MAX_PAGE + 1}, False)]
RAYON_CASES = [
    ({"commune": RENNES, "rayon_km": MAX_RAYON_KM}, True),
    ({"commune": RENNES, "rayon_km": BEYOND_RAYON}, False),
]
PAR_PAGE_CASES = [({"par_page": MAX_PAR_PAGE}, True), ({"par_page": MAX_PAR_PAGE + 1}, False)]


def test_the_limits_are_the_documented_ones():
    assert (MAX_PAGE, MAX_PAR_PAGE, MAX_RAYON_KM) == (100, 50, 200)


@pytest.mark.parametrize(("params", "accepted"), PAGE_CASES + RAYON_CASES)
def test_page_applies_the_search_limits(client, index, params, accepted):  # noqa: F811
    response = client.get("/recherche", {"q": "infirmier", **params})
    html = response.content.decode()
    if accepted:
        assert response.status_code == 200, html[:2000]
    else:
        assert response.status_code == 400
        assert (RAYON_MESSAGE if "rayon_km" in params else PAGE_MESSAGE) in html


def test_page_links_no_page_beyond_the_limit(client, index):  # noqa: F811
    html = client.get("/recherche", {"q": "infirmier", "page": MAX_PAGE}).content.decode()
    assert f"page={MAX_PAGE + 1}" not in html


@pytest.mark.parametrize(("params", "accepted"), PAGE_CASES + RAYON_CASES + PAR_PAGE_CASES)
def test_api_applies_the_search_limits(client, index, params, accepted):  # noqa: F811
    response = client.get("/api/v1/recherche", {"q": "infirmier", **params})
    body = response.json()
    if accepted:
        assert response.status_code == 200, body
        assert body["page"] == params.get("page", 1)
    else:
        assert response.status_code == 400, body
        assert body["code"] == "invalid-parameter" and set(body) >= {"detail", "code", "erreurs"}


def _cli(params: dict) -> list[str]:
    names = {"page": "--page", "par_page": "--limit", "commune": "--commune", "rayon_km": "--rayon-km"}
    args = ["--json"]
    for name, value in params.items():
        args += [names[name], str(value)]
    return [*args, "infirmier"]


@pytest.mark.parametrize(("params", "accepted"), PAGE_CASES + RAYON_CASES + PAR_PAGE_CASES)
def test_cli_applies_the_search_limits(index, params, accepted):  # noqa: F811
    out, err = StringIO(), StringIO()
    if accepted:
        call_command("recherche", *_cli(params), stdout=out, stderr=err)
        assert json.loads(out.getvalue())["page"] == params.get("page", 1)
    else:
        with pytest.raises(SystemExit) as exited:
            call_command("recherche", *_cli(params), stdout=out, stderr=err)
        assert exited.value.code == 2
        code = "invalid-rayon" if "rayon_km" in params else "invalid-page"
        assert err.getvalue().startswith(f"{code}: ")
