"""/recherche on the real search engine and a small real index (tests/search/core/conftest.py): results, facets,
pagination, the suggestion, refused input, and every filter the page passes on to the search.

Each filter test compares the page with and without the filter, so a filter the page forgets to pass on fails it.
The index holds BTS « développeur web » formations in Rennes (parcoursup-a1), Saint-Malo in apprenticeship (a2,
65 km from Rennes) and Paris (a3).
"""

from __future__ import annotations

import html as html_lib
import re

import pytest

from tests.search.core.conftest import index  # noqa: F401 - the module-wide indexed referential

pytestmark = pytest.mark.django_db

RENNES_BTS, SAINT_MALO_BTS, PARIS_BTS = (
    "/formations/parcoursup-a1",
    "/formations/parcoursup-a2",
    "/formations/parcoursup-a3",
)


def page(client, params: dict[str, str], status: int = 200) -> str:
    response = client.get("/recherche", params)
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def result_links(html: str) -> list[str]:
    """The result links of the page, in order (the list of results only, not facets nor breadcrumbs)."""
    found = re.search(r'<ol[^>]*class="[^"]*results[^"]*"[^>]*>(.*?)</ol>', html, flags=re.S)
    assert found, "no result list on the page"
    return re.findall(r'<a href="(/(?:metiers|formations|certifications|structures)/[^"]+)"', found.group(1))


def one_h1(html: str) -> str:
    found = re.findall(r"<h1[^>]*>(.*?)</h1>", html, flags=re.S)
    assert len(found) == 1, found
    return html_lib.unescape(re.sub(r"<[^>]+>", "", found[0])).strip()


def test_the_unfiltered_search_finds_the_three_places(client, index):  # noqa: F811
    links = result_links(page(client, {"q": "developpeur web", "type": "formation"}))
    assert {RENNES_BTS, SAINT_MALO_BTS, PARIS_BTS} <= set(links)


def test_results_have_their_type_link_and_facets(client, index):  # noqa: F811
    html = page(client, {"q": "infirmier"})
    assert "infirmier" in one_h1(html)
    assert "/metiers/J1506" in result_links(html) and "Métier" in html
    assert 'href="/recherche?q=infirmier&amp;type=metier"' in html  # a facet is a plain link
    assert "Comment les résultats sont classés" in html and "neutre" in html


def test_type_filter_keeps_only_that_type(client, index):  # noqa: F811
    assert "/metiers/M1805" in result_links(page(client, {"q": "developpeur web"}))
    links = result_links(page(client, {"q": "developpeur web", "type": "formation"}))
    assert links and all(link.startswith("/formations/") for link in links)


def test_departement_filter_keeps_only_its_places(client, index):  # noqa: F811
    html = page(client, {"q": "developpeur web", "departement": "35"})
    assert set(result_links(html)) == {RENNES_BTS, SAINT_MALO_BTS}
    assert "retirer le filtre" in html and "departement=35" in html


def test_region_filter_keeps_only_its_places(client, index):  # noqa: F811
    assert result_links(page(client, {"q": "developpeur web", "region": "11"})) == [PARIS_BTS]
    assert PARIS_BTS not in result_links(page(client, {"q": "developpeur web", "region": "53"}))


def test_commune_and_radius_keep_only_places_within_the_radius(client, index):  # noqa: F811
    html = page(client, {"q": "developpeur web", "commune": "Rennes", "rayon_km": "20"})
    assert result_links(html) == [RENNES_BTS]
    assert re.search(r"À \d km", html)
    wider = page(client, {"q": "developpeur web", "commune": "Rennes", "rayon_km": "80", "tri": "distance"})
    assert result_links(wider) == [RENNES_BTS, SAINT_MALO_BTS]  # nearest first; Paris is 300 km away


def test_modalite_filter_keeps_only_apprenticeships(client, index):  # noqa: F811
    links = result_links(page(client, {"q": "developpeur web", "modalite": "apprentissage"}))
    assert SAINT_MALO_BTS in links and RENNES_BTS not in links


def test_pagination_keeps_the_filters(client, index):  # noqa: F811
    html = page(client, {"q": "developpeur web", "departement": "35", "page": "1"})
    first = result_links(html)
    assert len(first) == 2 and "Page suivante" not in html
    html = page(client, {"q": "", "type": "metier", "page": "2"})
    assert "Page précédente" in html and 'aria-current="page">Page 2' in html
    assert "type=metier" in html and "retirer le filtre" in html


def test_no_result_offers_the_suggestion_as_a_link(client, index):  # noqa: F811
    html = page(client, {"q": "boulangzzrie"})
    assert "Aucun résultat" in html and "Vouliez-vous dire" in html
    assert re.search(r'<a href="/recherche\?q=boulang[^"]*">boulang', html)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x", "tri": "nope"},
        {"q": "x", "page": "0"},
        {"q": "x", "page": "abc"},
        {"q": "x", "rayon_km": "loin"},
        {"q": "x" * 600},
    ],
)
def test_bad_search_input_gives_a_400_page_with_the_message(client, index, params):  # noqa: F811
    html = page(client, params, status=400)
    assert one_h1(html) == "Recherche impossible" and 'role="alert"' in html
