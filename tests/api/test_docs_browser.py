"""The API documentation page in a real browser: zero axe violations, no CSP breach, readable at 320 px."""

from __future__ import annotations

import pytest

from tests.browser.harness import axe_violations, format_violations

pytestmark = pytest.mark.browser


def test_docs_page_has_no_axe_violations_and_keeps_the_csp(page, live_server):
    response = page.goto(live_server.url + "/api/v1/docs")
    assert response.status == 200
    assert page.locator("h1").count() == 1
    violations = axe_violations(page)
    assert not violations, format_violations(violations, page.url)
    assert page.locator("a[href='/api/v1/openapi.json']").count() == 1


def test_docs_page_reflows_on_a_small_screen(browser_context_factory, live_server):
    small = browser_context_factory(viewport={"width": 320, "height": 640}).new_page()
    small.goto(live_server.url + "/api/v1/docs")
    overflow = small.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at 320px"
