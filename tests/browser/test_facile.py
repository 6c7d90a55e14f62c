"""« Facile à lire » in a browser (issue 15 part 4, docs/design/answer.md): on the answer page, the person reaches
the toggle by keyboard, opens the easy version, reads the easy texts, and comes back; axe (WCAG 2.1 A/AA) finds no
violation with the easy version on (axe needs JavaScript: it runs on the desktop page; the phone page without
JavaScript is the same HTML, checked for its toggle, texts and width)."""

from __future__ import annotations

import pytest

from spro.core.readability import measure
from tests.browser.harness import assert_no_axe_violations, warm_answer_indexes
from tests.browser.test_search_journey import tab_to
from tests.search.pages.conftest import import_datasets

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TEXT = "J'ai 17 ans, j'ai arrêté le lycée en cours d'année et je sais pas quoi faire maintenant"
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
TOGGLE = "a.answer__facile-lien"


def ask(page, live_server) -> None:
    page.goto(live_server.url + "/question")
    page.fill("#id_text", TEXT)
    page.fill("#id_commune", "Rennes")
    with page.expect_navigation():
        page.click("text=Obtenir ma réponse")
    assert page.locator("h1").inner_text() == "Votre première réponse"


def words(page) -> str:
    """The toggle's words: the visible ones name the version it opens, the hidden ones the version shown."""
    return " ".join(page.locator(TOGGLE).text_content().split())


def steps(page) -> list[str]:
    return [item.inner_text() for item in page.locator("#etapes > li").all()]


def test_the_easy_version_by_keyboard_with_and_without_javascript(browser_context_factory, live_server):
    import_datasets(("geo", "rome", "structures"))
    warm_answer_indexes()
    contexts = {
        "desktop, JavaScript": {"viewport": {"width": 1280, "height": 900}},
        "phone, no JavaScript": {"viewport": {"width": 390, "height": 844}, "java_script_enabled": False},
    }
    for name, options in contexts.items():
        page = browser_context_factory(**options).new_page()
        ask(page, live_server)
        full_steps = steps(page)
        assert words(page) == "Version facile à lire (vous lisez la version complète)", name

        focused = tab_to(page, "el.classList.contains('answer__facile-lien')", "the « Facile à lire » link")
        assert "facile=1" in focused["href"], name
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("html").get_attribute("lang") == "fr"
        assert words(page) == "Version complète (vous lisez la version facile à lire)", name
        easy_steps = steps(page)
        assert len(easy_steps) == len(full_steps) >= 3 and easy_steps != full_steps, name
        assert [s for s in easy_steps if measure(s).problems()] == [], name
        reason = page.locator(".structure-card--recommandee .structure-card__raison").inner_text()
        assert measure(reason).problems() == [], (name, reason)
        assert page.evaluate(SIDEWAYS) == 0, name
        if options.get("java_script_enabled", True):  # axe runs in the page: only with JavaScript on
            assert_no_axe_violations(page)

        with page.expect_navigation():
            page.locator(TOGGLE).click()
        assert "facile" not in page.url and steps(page) == full_steps, name
