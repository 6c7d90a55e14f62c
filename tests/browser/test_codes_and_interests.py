"""Issue 14 in a browser, at 1280 px and on a phone (390×844): the « Pour les professionnels » fold-out is closed,
opens from the keyboard and shows the codes; the interest page's groups by domain open from the keyboard; no
sideways scrolling; axe finds no violation, folds closed and open."""

from __future__ import annotations

import pytest

from tests.browser.harness import assert_no_axe_violations
from tests.search.pages.conftest import import_datasets

pytestmark = pytest.mark.browser

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def open_by_keyboard(page, summary) -> None:
    summary.focus()
    page.keyboard.press("Enter")


def test_codes_fold_out_and_interest_groups_open_from_the_keyboard(browser_context_factory, live_server):
    import_datasets(("geo", "rome", "bcn", "certifinfo"))
    for name, options in VIEWPORTS.items():
        page = browser_context_factory(**options).new_page()
        for path, code in (("/metiers/J1506", "J1506"), ("/certifications/certifinfo-64144", "RNCP8940")):
            page.goto(live_server.url + path)
            fold = page.locator("details.pro-codes")
            assert fold.count() == 1 and fold.get_attribute("open") is None, (name, path)
            assert not page.get_by_text(code, exact=True).is_visible(), (name, path)
            assert page.evaluate(SIDEWAYS) == 0, (name, path)
            assert_no_axe_violations(page)
            open_by_keyboard(page, fold.locator("summary"))
            assert page.get_by_text(code, exact=True).is_visible(), (name, path)
            assert page.evaluate(SIDEWAYS) == 0, (name, path)
            assert_no_axe_violations(page)

        page.goto(live_server.url + "/centres-interet/1")
        assert page.get_by_role("heading", name="Les métiers où cet intérêt compte le plus").is_visible()
        assert page.locator("#titre-principaux ~ ul > li").count() == 12
        groups = page.locator("#titre-domaines ~ details")
        assert groups.count() >= 2 and page.evaluate(SIDEWAYS) == 0, name
        assert_no_axe_violations(page)
        first = groups.first
        link = first.locator("li a").first
        assert not link.is_visible(), name
        open_by_keyboard(page, first.locator("summary"))
        assert link.is_visible(), name
        assert page.evaluate(SIDEWAYS) == 0, name
        assert_no_axe_violations(page)
