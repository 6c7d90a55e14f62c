"""The page /aides in a browser, by keyboard only, with and without JavaScript: fill the situation, read the cards
(axe: 0 violations on the form, the results and the error summary); after an error the focus is on the summary."""

from __future__ import annotations

import pytest

from tests.browser.harness import assert_no_axe_violations
from tests.geography import Row, add_communes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTIVE = "() => ({id: document.activeElement.id, href: document.activeElement.getAttribute('href')})"


def tab_to(page, element_id: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(ACTIVE)["id"] == element_id:
            return
    raise AssertionError(f"#{element_id} not reached by Tab")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_lea_fills_her_situation_by_keyboard_and_reads_the_aids(
    browser_context_factory, live_server, javascript
):
    add_communes(Row("29019", "Brest", "29", ("29200",), population=140000, epci="242900314"))
    page = browser_context_factory(java_script_enabled=javascript).new_page()
    page.goto(live_server.url + "/aides")
    if javascript:
        assert_no_axe_violations(page)
    tab_to(page, "id_age")
    page.keyboard.type("17")
    page.keyboard.press("Tab")  # situation
    assert page.evaluate(ACTIVE)["id"] == "id_statut"
    page.keyboard.press("Tab")  # diploma: left as « Je ne souhaite pas le dire »
    tab_to(page, "id_handicap_0")  # the radio group: Tab reaches the checked one, arrows choose
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate(ACTIVE)["id"] == "id_handicap_2"  # « Non »
    tab_to(page, "id_commune")
    page.keyboard.type("Brest")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/aides?" in page.url and "age=17" in page.url and "handicap=non" in page.url
    results = page.get_by_role("heading", name="Les aides qui peuvent vous concerner (", exact=False)
    assert results.is_visible()
    cej = page.locator("#aide-cej")
    assert "vous avez 17 ans, et c’est de 16 à 25 ans" in cej.inner_text()
    assert "Comment l’obtenir" in cej.inner_text()
    assert page.get_by_role("heading", name="Peut-être, selon votre situation", exact=False).is_visible()
    if javascript:
        assert_no_axe_violations(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_after_an_error_the_focus_is_on_the_summary(browser_context_factory, live_server, javascript):
    page = browser_context_factory(java_script_enabled=javascript).new_page()
    page.goto(live_server.url + "/aides?age=200")
    assert page.evaluate(ACTIVE)["id"] == "erreurs-formulaire"
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE)["href"] == "#id_age"
    page.keyboard.press("Enter")
    assert page.evaluate(ACTIVE)["id"] == "id_age"
    if javascript:
        assert_no_axe_violations(page)
