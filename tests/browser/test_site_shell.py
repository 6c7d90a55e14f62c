"""The public site shell in a real browser: axe, keyboard, no JavaScript, small screens, print, branding."""

from __future__ import annotations

import re

import pytest

from tests.browser.harness import assert_no_axe_violations, axe_violations, format_violations

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "mentions-legales": "/mentions-legales/",
    "accessibilite": "/accessibilite/",
    "donnees-personnelles": "/donnees-personnelles/",
    "plan-du-site": "/plan-du-site/",
    "data-sources": "/sources-des-donnees/",
    "404": "/cette-page-n-existe-pas/",
}


def expected_status(path: str) -> int:
    return 404 if path == PAGES["404"] else 200


# Pages are looped inside one test rather than parametrized: each live-server test flushes the whole database
# at teardown (about 3 s on PostgreSQL), and the report still names each failing page.
def test_every_page_has_no_axe_violations(page, live_server):
    reports = []
    for path in PAGES.values():
        response = page.goto(live_server.url + path)
        assert response.status == expected_status(path), path
        assert page.locator("h1").count() == 1, path
        assert page.locator("html").get_attribute("lang") == "fr", path
        violations = axe_violations(page)
        if violations:
            reports.append(format_violations(violations, page.url))
    assert not reports, "\n\n".join(reports)


def test_axe_check_reports_an_unlabelled_field_and_low_contrast_text(page, live_server):
    page.goto(live_server.url + "/")
    assert axe_violations(page) == []
    page.evaluate(
        """() => {
            const main = document.querySelector("main");
            const field = document.createElement("input");
            field.type = "text";
            main.prepend(field);
            const faint = document.createElement("p");
            faint.textContent = "Texte presque invisible";
            faint.style.color = "#cccccc";   // CSSOM, which the CSP allows (unlike a style attribute)
            faint.style.background = "#ffffff";
            main.prepend(faint);
        }"""
    )
    violations = axe_violations(page)
    assert {"label", "color-contrast"} <= {violation["id"] for violation in violations}
    with pytest.raises(AssertionError) as failure:
        assert_no_axe_violations(page)
    report = str(failure.value)
    assert "color-contrast" in report and "Texte presque invisible" in report and "label" in report
    assert "violation(s) on " + live_server.url in format_violations(violations, page.url)


def test_harness_reports_content_security_policy_violations(page, live_server, csp_violations):
    page.goto(live_server.url + "/")
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate("() => document.body.setAttribute('style', 'color: red')")
    assert any("Content Security Policy" in text for text in csp_violations)
    csp_violations.clear()  # expected here; any other test with a CSP report fails at teardown


def test_first_tab_focuses_the_skip_link_and_enter_moves_focus_to_main(page, live_server):
    for path in (PAGES["home"], PAGES["mentions-legales"], PAGES["404"]):
        page.goto(live_server.url + path)
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => ({text: document.activeElement.textContent.trim(),"
            " href: document.activeElement.getAttribute('href')})"
        )
        assert focused == {"text": "Aller au contenu", "href": "#contenu"}, path
        box = page.locator(
            ".skip-links a[href='#contenu']"
        ).bounding_box()  # hidden until focused, then shown
        assert box is not None and box["width"] > 20 and box["height"] > 10 and box["y"] >= 0, (path, box)
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "contenu", path
        assert page.evaluate("() => document.activeElement.tagName") == "MAIN", path
        # The next Tab continues inside the content, not back in the header.
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)"), path


def test_skip_links_reach_the_menu_and_the_search_field(page, live_server):
    page.goto(live_server.url + "/mentions-legales/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == "#menu"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('nav').id") == "menu"
    page.goto(live_server.url + "/")
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == "#recherche"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "recherche"
    assert page.evaluate("() => document.activeElement.getAttribute('name')") == "q"


def test_keyboard_focus_is_visible_with_a_thick_outline(page, live_server):
    page.goto(live_server.url + "/")
    for selector, tabs in ((".skip-links a", 1), ("#recherche", 0)):
        if tabs:
            page.keyboard.press("Tab")
        else:
            page.focus(selector)
        style = page.evaluate(
            """() => {
                const s = getComputedStyle(document.activeElement);
                return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), colour: s.outlineColor};
            }"""
        )
        assert style["style"] == "solid", (selector, style)
        assert style["width"] >= 2, (selector, style)


def test_home_and_its_search_form_work_without_javascript(browser_context_factory, live_server):
    context = browser_context_factory(java_script_enabled=False)
    page = context.new_page()
    response = page.goto(live_server.url + "/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Orientation pour tous"
    field = page.get_by_label("Rechercher un métier, une formation ou un lieu d’accueil")
    assert field.get_attribute("name") == "q"
    assert page.locator("script").count() == 0
    field.fill("infirmier")
    with page.expect_navigation():
        field.press("Enter")
    assert re.search(r"/recherche\?q=infirmier$", page.url), page.url
    # The shell (header, menu, footer) is still there on whatever page answers.
    assert page.get_by_role("navigation", name="Menu principal").is_visible()


WIDTHS = (
    "() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})"
)


def test_no_horizontal_scroll_at_320_pixels(browser_context_factory, live_server):
    page = browser_context_factory(viewport={"width": 320, "height": 640}).new_page()
    too_wide = {}
    for path in PAGES.values():
        response = page.goto(live_server.url + path)
        assert response.status == expected_status(path), path
        widths = page.evaluate(WIDTHS)
        if widths["scroll"] > widths["client"]:
            too_wide[path] = widths
    assert not too_wide, too_wide


def test_horizontal_scroll_measure_sees_a_too_wide_element(browser_context_factory, live_server):
    page = browser_context_factory(viewport={"width": 320, "height": 640}).new_page()
    page.goto(live_server.url + "/")
    page.evaluate(
        "() => { const wide = document.createElement('div'); wide.style.width = '400px';"
        " wide.style.height = '1px'; document.querySelector('main').append(wide); }"
    )
    widths = page.evaluate(WIDTHS)
    assert widths["scroll"] > widths["client"], widths


def test_a_region_brands_the_site_by_settings_only(page, live_server, settings):
    logo = (
        "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='40' height='40'%3E"
        "%3Crect width='40' height='40' fill='%237a1f5c'/%3E%3C/svg%3E"
    )
    settings.SPRO_BRAND = {
        **settings.SPRO_BRAND,
        "name": "Cap Avenir Essai",
        "region": "Région Exemple",
        "primary": "#7a1f5c",
        "logo": logo,
        "logo_alt": "Région Exemple",
    }
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Cap Avenir Essai"
    assert page.title() == "Accueil – Cap Avenir Essai"
    assert page.locator(".site-header").get_by_text("Région Exemple", exact=True).is_visible()
    assert page.get_by_role("img", name="Région Exemple").is_visible()
    css = page.request.get(live_server.url + "/theme/brand.css")
    assert css.ok and "--brand-primary: #7a1f5c;" in css.text()
    assert page.evaluate("() => getComputedStyle(document.querySelector('.hero')).backgroundColor") == (
        "rgb(122, 31, 92)"
    )
    assert_no_axe_violations(page)


def test_print_stylesheet_hides_navigation_and_shows_link_addresses(page, live_server):
    page.goto(live_server.url + "/mentions-legales/")
    page.emulate_media(media="print")
    assert not page.get_by_role("navigation", name="Menu principal").is_visible()
    assert not page.locator(".header-search").is_visible()
    link = "main a[href='/sources-des-donnees/']"
    after = page.evaluate(f"""() => getComputedStyle(document.querySelector("{link}"), "::after").content""")
    assert "/sources-des-donnees/" in after


def test_motion_is_reduced_when_the_user_asks(browser_context_factory, live_server):
    for preference, expected in (("no-preference", "smooth"), ("reduce", "auto")):
        page = browser_context_factory(reduced_motion=preference).new_page()
        page.goto(live_server.url + "/")
        assert page.evaluate("() => getComputedStyle(document.documentElement).scrollBehavior") == expected
