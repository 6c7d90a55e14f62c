"""Issue 14, navigation: the menu (Métiers · Formations · Trouver une structure · Poser une question), folded behind
« Menu » on a phone without needing JavaScript, open in the header row on a wide screen; the rest in the footer; a
header that leaves most of a phone's first screen to the page."""

from __future__ import annotations

import pytest

from tests.browser.harness import assert_no_axe_violations

pytestmark = pytest.mark.browser

MENU = ["Métiers", "Formations", "Trouver une structure", "Poser une question"]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
PAGE = "/mentions-legales/"  # a page with the header's search form
WIDTHS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def menu_links(page):
    return page.get_by_role("navigation", name="Menu principal").get_by_role("link")


def content_top(page) -> float:
    return page.evaluate("() => document.querySelector('main').getBoundingClientRect().top + window.scrollY")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_on_a_phone_the_menu_opens_behind_a_button(browser_context_factory, live_server, javascript):
    page = browser_context_factory(java_script_enabled=javascript, **PHONE).new_page()
    page.goto(live_server.url + PAGE)
    # The header (brand, menu button, search) takes at most 15 % of the screen (it took 38 %).
    assert content_top(page) <= 0.15 * 844, content_top(page)
    assert page.evaluate(WIDTHS) == 0
    button = page.locator("summary", has_text="Menu")
    assert button.is_visible()
    assert not page.get_by_role("link", name="Métiers", exact=True).is_visible()
    button.click()
    assert menu_links(page).all_inner_texts() == MENU
    for name in MENU:
        assert page.get_by_role("link", name=name, exact=True).first.is_visible(), name
    assert page.evaluate(WIDTHS) == 0
    if javascript:  # axe runs in the page
        assert_no_axe_violations(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Poser une question", exact=True).click()
    assert page.url.endswith("/question")


def test_on_a_phone_the_menu_opens_from_the_keyboard(browser_context_factory, live_server):
    page = browser_context_factory(**PHONE).new_page()
    page.goto(live_server.url + PAGE)
    button = page.locator("summary", has_text="Menu")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.tagName") == "SUMMARY":
            break
    assert page.evaluate("() => document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") in (None, "true")  # native <details>: no ARIA needed
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Métiers"


def test_the_skip_link_to_the_menu_opens_it_on_a_phone(browser_context_factory, live_server):
    page = browser_context_factory(**PHONE).new_page()
    page.goto(live_server.url + PAGE)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == "#menu"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('nav').id") == "menu"
    assert page.evaluate("() => document.activeElement.textContent") == "Métiers"
    assert page.get_by_role("link", name="Métiers", exact=True).is_visible()


def test_on_a_wide_screen_the_menu_is_open_and_the_rest_is_in_the_footer(page, live_server):
    page.goto(live_server.url + PAGE)
    assert not page.locator("summary", has_text="Menu").is_visible()
    assert menu_links(page).all_inner_texts() == MENU
    for name in MENU:
        assert page.get_by_role("link", name=name, exact=True).first.is_visible(), name
    assert content_top(page) <= 80
    assert page.evaluate(WIDTHS) == 0
    footer = page.get_by_role("navigation", name="Informations sur le site")
    for name in ("Sources des données", "Plan du site", "Espace pro"):
        assert footer.get_by_role("link", name=name).is_visible(), name
    # The header search keeps its name without showing it: the magnifier and the placeholder say it.
    assert page.get_by_role("search").get_by_role("button", name="Rechercher").is_visible()
    assert page.get_by_role("searchbox", name="Rechercher sur le site").is_visible()
    assert_no_axe_violations(page)
