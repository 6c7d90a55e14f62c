"""A person finds a structure near a commune by keyboard only, then reads its fiche; zero axe violations (WCAG 2.1 AA)
on the search form, the results and the fiche; the pages work without JavaScript."""

from __future__ import annotations

import pytest

from tests.browser.harness import axe_violations, format_violations
from tests.browser.test_search_journey import tab_to

from .conftest import import_file, service, structure

pytestmark = pytest.mark.browser


def test_find_a_structure_near_a_commune_by_keyboard(page, live_server, geo, tmp_path, write_document):
    report = import_file(
        write_document(
            [
                structure("rennes", nom="CIO de Rennes", demo=True),
                structure("cesson", nom="CIO de Cesson", code_insee="35051"),
                structure("ml", nom="Mission locale de Rennes", typologie="ML", age_min=16, age_max=25),
                structure("brest", nom="CIO de Brest", code_insee="29019", zone_competence=["29"]),
            ],
            [service("cesson")],
        )
    )
    assert report.status == "success", report.error
    reports = []

    def check_axe() -> None:
        violations = axe_violations(page)
        if violations:
            reports.append(format_violations(violations, page.url))

    page.goto(live_server.url + "/")
    tab_to(page, "el.getAttribute('href') === '/structures'", "the menu link to the directory")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Trouver une structure près de chez soi"
    check_axe()

    tab_to(page, "el.id === 'commune'", "the commune field")
    page.keyboard.type("Cesson-Sévigné")
    # « Je cherche de l’aide pour… »: pick "Choisir une orientation…" (CIO) by typing
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "aide"
    page.keyboard.type("Choisir")
    assert page.locator("#aide").input_value() == "orientation"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "rayon_km"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Chercher"
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits the form
    assert "commune=Cesson" in page.url and "aide=orientation" in page.url
    assert page.locator("h1").inner_text() == "Structures près de Cesson-Sévigné"
    titles = page.locator("ol.results h3").all_inner_texts()
    assert titles == ["CIO de Cesson", "CIO de Rennes"]  # nearest first; Brest is outside the radius and zone
    assert "à 0,0 km" in page.locator("ol.results li").first.inner_text()
    check_axe()

    tab_to(page, "el.getAttribute('href') === '/structures/test--cesson'", "the first result")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "CIO de Cesson"
    assert page.get_by_role("heading", name="Services").count() == 1
    assert page.get_by_role("heading", name="Conseil en orientation").count() == 1
    check_axe()
    # The only scripts: the map's JSON data islands and same-origin static files (no inline code).
    scripts = page.locator("script")
    for i in range(scripts.count()):
        kind, src = scripts.nth(i).get_attribute("type"), scripts.nth(i).get_attribute("src")
        assert kind == "application/json" or (src or "").startswith("/static/"), (kind, src)

    assert not reports, "\n\n".join(reports)


def test_directory_pages_work_without_javascript(browser_context_factory, live_server, geo, write_document):
    import_file(write_document([structure("rennes", nom="CIO de Rennes")]))
    page = browser_context_factory(java_script_enabled=False).new_page()
    page.goto(live_server.url + "/structures?commune=35238&typologie=CIO")
    assert page.locator("ol.results h3").all_inner_texts() == ["CIO de Rennes"]
    page.goto(live_server.url + "/structures/test--rennes")
    assert page.locator("h1").inner_text() == "CIO de Rennes"
