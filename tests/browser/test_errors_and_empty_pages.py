"""Issue 14, errors and empty pages: after a failed submit the focus is on the error summary (with or without
JavaScript: `autofocus`), /question fits a phone, and the 404 and an empty search offer search and « Poser une
question »."""

from __future__ import annotations

import re

import pytest

from tests.browser.harness import assert_no_axe_violations, autofocused

pytestmark = pytest.mark.browser

WIDTHS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
ACTIVE = "() => ({id: document.activeElement.id, href: document.activeElement.getAttribute('href')})"


@pytest.mark.parametrize("width", [390, 320])
def test_the_question_page_does_not_scroll_sideways_on_a_phone(browser_context_factory, live_server, width):
    page = browser_context_factory(viewport={"width": width, "height": 844}, is_mobile=True).new_page()
    page.goto(live_server.url + "/question")
    assert page.evaluate(WIDTHS) == 0
    fieldset = page.locator("fieldset").first.bounding_box()
    assert fieldset["x"] + fieldset["width"] <= width


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_after_a_failed_submit_the_focus_is_on_the_error_summary(
    browser_context_factory, live_server, javascript
):
    page = browser_context_factory(java_script_enabled=javascript).new_page()
    page.goto(live_server.url + "/question")
    page.get_by_label("Votre question").fill("Je voudrais travailler avec des enfants")
    page.get_by_label(re.compile("^Votre âge")).fill("200")
    with page.expect_navigation():
        page.get_by_role("button", name="Obtenir ma réponse").click()
    assert autofocused(page, "el.id === 'erreurs-formulaire'")
    # One Tab to the error's link, Enter to the field (it took 12 Tab presses from the top of the page).
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE)["href"] == "#id_age"
    page.keyboard.press("Enter")
    assert page.evaluate(ACTIVE)["id"] == "id_age"
    if javascript:
        assert_no_axe_violations(page)


def test_the_404_page_offers_search_and_a_question(page, live_server):
    response = page.goto(live_server.url + "/cette-page-n-existe-pas/")
    assert response.status == 404
    main = page.get_by_role("main")
    assert main.get_by_role("link", name="Poser une question").is_visible()
    field = main.get_by_role("searchbox", name="Rechercher un métier, une formation ou un lieu d’accueil")
    assert_no_axe_violations(page)
    field.fill("infirmier")
    with page.expect_navigation():
        field.press("Enter")
    assert page.url.endswith("/recherche?q=infirmier")


def test_an_empty_search_offers_a_question(page, live_server):
    page.goto(live_server.url + "/recherche?q=zzyzxqv")
    main = page.get_by_role("main")
    assert "Aucun résultat" in main.inner_text()
    with page.expect_navigation():
        main.get_by_role("link", name="Poser une question").click()
    assert page.url.endswith("/question")
