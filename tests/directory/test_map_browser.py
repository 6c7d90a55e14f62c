"""The structure maps in a real browser: /structures, a structure page and an answer page draw one marker per listed
structure; Tab reaches a marker and Enter opens its bubble; axe finds no WCAG 2.1 A/AA violation; no request leaves
the site; without JavaScript the list is complete and the map stays hidden. The harness fails on CSP violations."""

from __future__ import annotations

import pytest

from tests.accounts.factories import places_in_rennes
from tests.browser.harness import axe_violations, format_violations
from tests.browser.test_search_journey import tab_to

from .conftest import import_file, structure

pytestmark = pytest.mark.browser
MARKER = "el.classList.contains('leaflet-marker-icon')"


@pytest.fixture
def network(geo, write_document):
    report = import_file(
        write_document(
            [
                structure("rennes", nom="CIO de Rennes", adresse="1 rue Le Bastard", code_postal="35000"),
                structure("cesson", nom="CIO de Cesson", code_insee="35051"),
                structure("vitre", nom="CIO de Vitré", code_insee="35360"),
                structure("ml", nom="Mission locale de Rennes", typologie="ML"),
            ]
        )
    )
    assert report.status == "success", report.error


def watch(page, live_server) -> dict[str, list[str]]:
    """JavaScript errors and requests to anyone but the site."""
    seen: dict[str, list[str]] = {"errors": [], "outside": []}
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "data:"))
            else seen["outside"].append(request.url)
        ),
    )
    return seen


def wait_for_map(page) -> None:
    page.wait_for_selector("#carte .leaflet-marker-pane .leaflet-marker-icon")
    page.wait_for_selector("#carte .carte-lieu")  # the offline basemap's town names are drawn
    assert page.locator("#carte path.carte-departement").count() == 101  # and its approximate départements


def wait_until_opaque(page, selector: str) -> None:
    for _ in range(100):
        if page.evaluate(f"getComputedStyle(document.querySelector('{selector}')).opacity") == "1":
            return
        page.wait_for_timeout(20)
    raise AssertionError(f"{selector} never became opaque")


def check_page(page, seen, expected: int) -> list[str]:
    """The map is shown with one named marker per listed structure; axe's report if it finds violations."""
    wait_for_map(page)
    assert page.locator("[data-carte]").is_visible()
    markers = page.locator("#carte .leaflet-marker-pane .leaflet-marker-icon")
    assert markers.count() == expected
    names = [markers.nth(i).get_attribute("alt") for i in range(expected)]
    assert all(names), names
    loaded = (
        "[...document.querySelectorAll('#carte .leaflet-marker-pane img')].every(i => i.naturalWidth > 0)"
    )
    for _ in range(50):
        if page.evaluate(loaded):
            break
        page.wait_for_timeout(20)
    assert page.evaluate(loaded), "a marker image did not load"
    assert page.locator("#carte").get_attribute("aria-label")
    assert not seen["errors"] and not seen["outside"], seen
    violations = axe_violations(page)
    return [format_violations(violations, page.url)] if violations else []


def test_the_structures_map_by_keyboard(page, live_server, network):
    seen = watch(page, live_server)
    page.goto(live_server.url + "/structures?commune=35238&typologie=CIO&rayon_km=50")
    listed = page.locator("ol.results h3 a").all_inner_texts()
    assert listed == ["CIO de Rennes", "CIO de Cesson", "CIO de Vitré"]
    problems = check_page(page, seen, expected=len(listed))

    found = tab_to(page, MARKER, "a marker of the map")
    name = page.evaluate("document.activeElement.getAttribute('alt')")
    assert name.split(",")[0] in listed
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid", found  # a visible focus
    page.keyboard.press("Enter")
    bubble = page.locator("#carte .leaflet-popup-content")
    bubble.wait_for()
    wait_until_opaque(page, ".leaflet-popup")  # Leaflet fades bubbles in; axe reads the colours after
    link = bubble.locator("a")
    assert link.inner_text() == name.split(",")[0]
    assert page.evaluate("document.activeElement.closest('.leaflet-popup') !== null")  # focus moved into it
    problems += check_page(page, seen, expected=len(listed))  # axe with the bubble open
    page.keyboard.press("Escape")
    bubble.wait_for(state="detached")
    assert page.evaluate(f"(el => {MARKER})(document.activeElement)")  # back on the marker
    assert not problems, "\n\n".join(problems)


def test_a_structure_page_and_an_answer_page_show_their_map(page, live_server, network):

    seen = watch(page, live_server)
    page.goto(live_server.url + "/structures/test--cesson")
    problems = check_page(page, seen, expected=1)
    assert (
        page.locator("#carte .leaflet-marker-pane .leaflet-marker-icon")
        .get_attribute("alt")
        .startswith("CIO de Cesson")
    )

    places_in_rennes(("ML", "FT", "PIJ_BIJ"), di_prefix="test--answer-")
    page.goto(live_server.url + "/question")
    page.fill(
        "#id_text", "j'ai 17 ans, j'ai arrêté le lycée et je ne sais pas quoi faire, je cherche une formation"
    )
    page.fill("#id_commune", "Rennes")
    with page.expect_navigation():
        page.locator("#id_commune").press("Enter")
    cards = page.locator(".orientation__structures a[href^='/structures/']")
    listed = {cards.nth(i).get_attribute("href") for i in range(cards.count())}
    assert listed
    problems += check_page(page, seen, expected=len(listed))
    tab_to(page, MARKER, "a marker of the answer's map")
    page.keyboard.press("Enter")
    href = page.locator("#carte .leaflet-popup-content a").get_attribute("href")
    assert href in listed
    assert not problems, "\n\n".join(problems)


def test_without_javascript_the_list_is_whole_and_the_map_hidden(
    browser_context_factory, live_server, network
):
    page = browser_context_factory(java_script_enabled=False).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + "/structures?commune=35238&typologie=CIO&rayon_km=50")
    assert page.locator("ol.results h3").all_inner_texts() == [
        "CIO de Rennes",
        "CIO de Cesson",
        "CIO de Vitré",
    ]
    assert page.locator("[data-carte]").count() == 1 and not page.locator("[data-carte]").is_visible()
    page.goto(live_server.url + "/structures/test--rennes")
    assert "1 rue Le Bastard" in page.locator("main").inner_text()
    assert not page.locator("[data-carte]").is_visible()
    assert not errors


def test_a_configured_tile_source_is_drawn_and_allowed_by_the_csp(page, live_server, network, settings):
    """The tiles are served by a stub (Playwright's router answers before any network): only the CSP is tested."""
    import base64

    settings.SPRO_MAP_TILES_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.SPRO_MAP_TILES_ATTRIBUTION = "© Tuiles d’exemple"
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )
    served: list[str] = []

    def tile(route) -> None:
        served.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=png)

    page.route("https://tiles.example.org/**", tile)
    page.goto(live_server.url + "/structures/test--rennes")
    page.wait_for_selector("#carte .leaflet-marker-pane .leaflet-marker-icon")
    page.wait_for_selector("#carte img.leaflet-tile-loaded")
    assert served and all(url.startswith("https://tiles.example.org/15/") for url in served)
    assert page.locator("#carte .carte-departement").count() == 0  # the offline basemap is not drawn
    assert "© Tuiles d’exemple" in page.locator("#carte .leaflet-control-attribution").inner_text()
    # The harness fails at teardown if the CSP blocked a tile.


def test_the_map_fits_a_small_screen_and_calms_down_on_request(browser_context_factory, live_server, network):
    page = browser_context_factory(viewport={"width": 320, "height": 640}, reduced_motion="reduce").new_page()
    page.goto(live_server.url + "/structures?commune=35238&typologie=CIO&rayon_km=50")
    wait_for_map(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no horizontal scroll
    assert page.locator("#carte").bounding_box()["width"] <= 320
    assert page.evaluate("document.querySelector('#carte').classList.contains('leaflet-fade-anim')") is False
    assert not axe_violations(page), format_violations(axe_violations(page), page.url)
