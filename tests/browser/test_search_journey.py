"""A newcomer's journey through the information pages by keyboard only, and axe on every page type.

One test imports the referentials it needs (the live server flushes the database after each test, so the
imports are not shared): geography, ROME, BCN, Certif Info, ONISEP, tension and the LHÉO example, and builds the
real search index on them.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from tests.browser.harness import axe_violations, format_violations
from tests.search.pages.conftest import import_datasets

pytestmark = pytest.mark.browser

MAX_TABS = 400


def tab_to(page, predicate_js: str, what: str) -> dict:
    """Press Tab until the focused element satisfies `predicate_js` (a JS expression on `el`)."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        found = page.evaluate(
            f"""() => {{ const el = document.activeElement;
                 return ({predicate_js}) ? {{href: el.getAttribute('href'), id: el.id,
                                             text: el.textContent.trim()}} : null; }}"""
        )
        if found:
            return found
    raise AssertionError(f"Tab never reached {what} on {page.url}")


def test_newcomer_journey_by_keyboard_and_axe_on_every_page_type(page, live_server):
    import_datasets()
    call_command("reindex", verbosity=0)  # the real search index; a failure fails the test

    # Home → the search field → a query typed and sent with Enter.
    page.goto(live_server.url + "/")
    tab_to(page, "el.id === 'recherche'", "the search field")
    page.keyboard.type("infirmier")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"/recherche\?q=infirmier$", page.url), page.url
    assert page.locator("h1").count() == 1

    # Results → the fiche métier.
    tab_to(page, "el.getAttribute('href') === '/metiers/J1506'", "the fiche J1506")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/metiers/J1506")
    heading = page.locator("h1").inner_text()
    assert "Infirmière" in heading and "Infirmier" in heading

    # Fiche → a related métier (ROME mobilités).
    # (the first related métier that Certif Info links to a certification, so that the journey can go on)
    from spro.referentials.rome.models import Mobilite

    wanted = (
        Mobilite.objects.filter(fiche_source="J1506", fiche_cible__liens_certifications__isnull=False)
        .order_by("numero_ordre")
        .values_list("fiche_cible", flat=True)
        .first()
    )
    related = tab_to(
        page,
        f"el.tagName === 'A' && el.closest('section[aria-labelledby=proches]') !== null"
        f" && el.getAttribute('href') === '/metiers/{wanted}'",
        "a related métier",
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(related["href"]), (page.url, related)
    assert page.locator("h1").count() == 1

    # Related métier → a certification or a formation.
    target = tab_to(
        page,
        "el.tagName === 'A' && /^\\/(certifications|formations)\\//.test(el.getAttribute('href') || '')",
        "a certification or a formation",
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(target["href"]) and page.locator("h1").count() == 1

    # Every page type: one h1, French, zero axe violations.
    pages = {
        "/recherche?q=infirmier": 200,
        "/recherche?q=zzzqqqxx": 200,
        "/recherche?q=x&page=0": 400,
        "/metiers/J1506?commune=35238": 200,
        "/formations/onisep-FOR.2378": 200,
        "/formations/offre-9436_18706": 200,
        "/certifications/certifinfo-64144": 200,
        "/domaines/": 200,
        "/domaines/J": 200,
        "/domaines/J15": 200,
        "/centres-interet/": 200,
        "/centres-interet/4": 200,
        "/territoires/regions/53": 200,
        "/territoires/departements/35": 200,
        "/metiers/Z9999": 404,
    }
    reports = []
    for path, status in pages.items():
        response = page.goto(live_server.url + path)
        assert response.status == status, path
        assert page.locator("h1").count() == 1, path
        assert page.locator("html").get_attribute("lang") == "fr", path
        assert page.locator("main").count() == 1 and page.locator("script").count() == 0, path
        violations = axe_violations(page)
        if violations:
            reports.append(format_violations(violations, page.url))
    assert not reports, "\n\n".join(reports)
