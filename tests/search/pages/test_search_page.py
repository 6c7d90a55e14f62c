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
    assert re.search(r'<input type="radio" id="f-type-metier" name="type" value="metier">', html)
    assert "Comment les résultats sont classés" in html and "neutre" in html


def test_type_filter_keeps_only_that_type(client, index):  # noqa: F811
    assert "/metiers/M1805" in result_links(page(client, {"q": "developpeur web"}))
    links = result_links(page(client, {"q": "developpeur web", "type": "formation"}))
    assert links and all(link.startswith("/formations/") for link in links)


def test_departement_filter_keeps_only_its_places(client, index):  # noqa: F811
    html = page(client, {"q": "developpeur web", "departement": "35"})
    assert set(result_links(html)) == {RENNES_BTS, SAINT_MALO_BTS}
    assert "retirer le filtre" in html and 'name="departement" value="35" checked' in html


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


# ---- Issue 14: filters, result cards, the Region's territory, the empty result ----------------------------------
def filters_form(html: str) -> str:
    found = re.search(r'<form class="search-filters__form"[^>]*>(.*?)</form>', html, flags=re.S)
    assert found, "no filters form on the page"
    return found.group(0)


def test_filters_are_radio_groups_with_counts_in_a_get_form_behind_filtrer(client, index):  # noqa: F811
    html = page(client, {"q": "developpeur web"})
    assert re.search(r'<details class="search-filters" id="filtres">\s*<summary[^>]*>Filtrer', html)
    form = filters_form(html)
    assert 'method="get"' in form and 'action="/recherche"' in form
    assert '<input type="hidden" name="q" value="developpeur web">' in form
    # one group per parameter, its first choice « no filter », each value with its count
    assert re.search(r"<legend>Type de résultat</legend>", form)
    assert re.search(
        r'id="f-type" name="type" value="" checked> <label for="f-type">Tous les résultats', form
    )
    assert re.search(r'name="type" value="formation"> <label for="f-type-formation">Formations <span', form)
    assert re.search(r'for="f-type-formation">Formations <span class="facet__count">\(\d+\)</span>', form)
    assert re.search(r'name="region" value="53">', form) and 'name="commune"' in form
    assert "Appliquer les filtres" in form


def test_a_chosen_filter_is_checked_and_sent_again_by_the_form(client, index):  # noqa: F811
    form = filters_form(page(client, {"q": "developpeur web", "modalite": "apprentissage"}))
    assert 'name="modalite" value="apprentissage" checked' in form
    assert (
        'id="f-modalite" name="modalite" value=""' in form
        and 'value="" checked> <label for="f-modalite"' not in form
    )


def test_long_filter_lists_show_the_most_frequent_first_and_fold_the_rest():
    from spro.search.views import FOLD_AFTER, _facets

    regions = [(f"{n:02d}", f"Région {n}", 100 - n) for n in range(1, 19)]
    facet = _facets({"region": regions}, {"q": "x", "region": "17"}, None)[0]
    assert [o["value"] for o in facet["options"]] == [r[0] for r in regions[:FOLD_AFTER]] + ["17"]
    assert len(facet["folded"]) == 18 - FOLD_AFTER - 1 and "17" not in {o["value"] for o in facet["folded"]}
    assert facet["fold_label"] == "Autres régions" and not facet["all_selected"]
    short = _facets({"niveau": [("5", "Niveau 5", 3), ("3", "Niveau 3", 1)]}, {"q": "x"}, None)[0]
    assert len(short["options"]) == 2 and not short["folded"] and short["all_selected"]


def result_cards_html(html: str) -> list[str]:
    found = re.search(r'<ol class="results result-cards"[^>]*>(.*?)</ol>', html, flags=re.S)
    assert found, "no result cards"
    return re.findall(r'<li class="result-card">(.*?)</li>', found.group(1), flags=re.S)


def test_result_cards_show_type_level_place_distance_and_description(client, index):  # noqa: F811
    html = page(client, {"q": "developpeur web", "commune": "Rennes", "rayon_km": "20"})
    (card,) = result_cards_html(html)
    assert RENNES_BTS in card and ">Formation</span>" in card
    assert "Niveau 5 (bac + 2 : BTS…)" in card
    assert re.search(r"Lycée Bréquigny · Rennes · À \d km", card)
    metier = next(
        c for c in result_cards_html(page(client, {"q": "developpeur web"})) if "/metiers/M1805" in c
    )
    assert 'class="result-card__description">Réalise les activités du métier' in metier
    assert "Métier · " not in metier  # the type is the badge, not repeated in the line below


def test_two_versions_of_one_diploma_make_one_card(index):  # noqa: F811
    """« CAP cuisine » twice: Certif Info's 88543 (last session 2025) and 115708, which replaces it
    (`code_ancien_diplome`). Two certifications with the same title that do not replace each other stay two."""
    import datetime as dt

    from spro.referentials.certifications.models import Certification
    from spro.search.cards import result_cards
    from spro.search.service import Hit

    for code, old, last in (("88543", "", 2025), ("115708", "88543", None), ("99999", "", None)):
        Certification.objects.create(
            code=code,
            libelle="CAP cuisine",
            type_libelle="Certificat d'aptitude professionnelle",
            type_code="500",
            niveau_europeen=3,
            date_maj=dt.date(2025, 1, 1),
            etat=0,
            code_ancien_diplome=old,
            annee_derniere_session=last,
        )

    def hit(code: str) -> Hit:
        url = f"/certifications/certifinfo-{code}"
        return Hit("certification", f"certifinfo-{code}", "CAP cuisine", url, 1.0, "CAP · niveau 3")

    for order in (["88543", "115708"], ["115708", "88543"]):
        cards = result_cards([hit(code) for code in order])
        assert len(cards) == 1, order
        assert cards[0]["hit"].code == "certifinfo-115708"  # the current version is the card's link
        assert [v["url"] for v in cards[0]["versions"]] == ["/certifications/certifinfo-88543"]
        assert cards[0]["versions"][0]["derniere_session"] == 2025
    assert len(result_cards([hit("88543"), hit("99999")])) == 2


def test_without_a_region_configured_the_search_covers_france(client, index, settings):  # noqa: F811
    settings.SPRO_REGION_CODE = ""
    html = page(client, {"q": "developpeur web"})
    assert PARIS_BTS in result_links(html) and "Toute la France</a>" not in html


def test_the_region_territory_by_default_and_toute_la_france_one_click_away(client, index, settings):  # noqa: F811
    settings.SPRO_REGION_CODE = "53"
    html = page(client, {"q": "developpeur web"})
    links = result_links(html)
    assert PARIS_BTS not in links and RENNES_BTS in links
    assert "/metiers/M1805" in links  # what has no place (métiers, diplômes) stays
    assert "Lieux en Bretagne." in html
    found = re.search(r'<a href="([^"]+)">Toute la France</a>', html)
    assert found, "no « Toute la France » link"
    france = page(
        client, dict(re.findall(r"([a-z_]+)=([^&]*)", html_lib.unescape(found.group(1)).split("?")[1]))
    )
    assert PARIS_BTS in result_links(france) and "Lieux dans toute la France." in france
    assert "Seulement en Bretagne</a>" in france
    assert '<input type="radio" id="f-region" name="region" value="" checked>' in france
    # under the default, « Toute la France » is not checked: sending the form keeps the default
    assert 'id="f-region" name="region" value="" checked' not in html
    # a territory the person chose replaces the default
    assert PARIS_BTS in result_links(page(client, {"q": "developpeur web", "region": "11"}))
    assert PARIS_BTS in result_links(page(client, {"q": "developpeur web", "commune": "Paris"}))


def test_infirmiere_does_not_start_in_bordeaux_for_a_breton_service(client, index, settings):  # noqa: F811
    from spro.referentials.formations.models import FormationParcoursup
    from spro.referentials.geo.models import Commune, Departement, Region
    from spro.search.indexing import rebuild_index

    naq = Region.objects.create(code="75", nom="Nouvelle-Aquitaine", zone="metro")
    d33 = Departement.objects.create(code="33", nom="Gironde", region=naq, zone="metro")
    Commune.objects.create(
        code_insee="33063",
        nom="Bordeaux",
        type="commune-actuelle",
        departement=d33,
        region=naq,
        latitude=44.8378,
        longitude=-0.5792,
    )
    FormationParcoursup.objects.create(
        id="b1",
        uai="0330000A",
        etablissement="IFSI Bordeaux",
        filiere="D.E Infirmier",
        type_formation="D.E Infirmier",
        latitude=44.84,
        longitude=-0.58,
    )
    rebuild_index()
    settings.SPRO_REGION_CODE = ""
    assert "/formations/parcoursup-b1" in result_links(page(client, {"q": "infirmiere"}))
    settings.SPRO_REGION_CODE = "53"
    links = result_links(page(client, {"q": "infirmiere"}))
    assert "/formations/parcoursup-b1" not in links and "/formations/parcoursup-a4" in links


def test_an_empty_result_offers_poser_une_question(client, index):  # noqa: F811
    html = page(client, {"q": "zzqqxxww"})
    assert "Aucun résultat" in html and '<a href="/question">Poser une question</a>' in html
