"""Léa, 15, has no idea what to do: from the site map she opens the interest questionnaire, answers by keyboard only
(Tab into each radio group, arrow keys to choose), sends it too early and lands on the focused error summary,
answers more, gets her métiers, downloads her summary and narrows the results to short studies. With and without
JavaScript (the site sends none, so the pages are the same; axe, itself JavaScript, runs in the run with it on:
WCAG 2.1 A/AA on the questionnaire, the error page and both results pages)."""

from __future__ import annotations

import re

import pytest

from tests.browser.harness import autofocused, axe_violations, format_violations, warm_answer_indexes
from tests.browser.test_search_journey import tab_to

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Léa's answers (item id → arrow presses from « Pas du tout »): she likes animals and drawing a bit, the rest less.
FIRST = {1: 1, 2: 0}  # too few: the error summary
MORE = {8: 3, 9: 2, 22: 3, 23: 2, 30: 0}


def answer(page, answers: dict[int, int]) -> None:
    """Tab into each item's radio group and choose with the arrow keys (Space for the first answer)."""
    for item_id, presses in answers.items():
        tab_to(page, f"el.name === 'r{item_id}'", f"the radio group of item {item_id}")
        if presses == 0:
            page.keyboard.press("Space")
        for _ in range(presses):
            page.keyboard.press("ArrowRight")
        checked = page.evaluate(f"() => document.querySelector('input[name=r{item_id}]:checked')?.value")
        assert checked == str(presses), (item_id, checked)


def send(page, label: str) -> None:
    tab_to(page, f"el.tagName === 'BUTTON' && el.textContent.includes('{label}')", f"the « {label} » button")
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_lea_explores_metiers_by_interests_by_keyboard(live_server, browser_context_factory, javascript):
    from tests.search.pages.conftest import import_datasets

    import_datasets(("rome",))
    warm_answer_indexes()
    page = browser_context_factory(java_script_enabled=javascript).new_page()
    problems: list[str] = []

    def check_axe() -> None:
        if not javascript:  # axe is JavaScript: it cannot run in a page that has it off (it never returns)
            return
        violations = axe_violations(page)
        if violations:
            problems.append(format_violations(violations, page.url))

    page.goto(live_server.url + "/plan-du-site/")
    tab_to(page, "el.getAttribute('href') === '/explorer'", "the site map's explorer link")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/explorer")
    check_axe()

    answer(page, FIRST)
    send(page, "Voir les métiers")
    assert "/explorer/resultats?" in page.url
    assert autofocused(page, "el.classList.contains('error-summary')")
    assert (
        "Répondez à au moins 5 questions (vous avez répondu à 2)"
        in page.locator(".error-summary").inner_text()
    )
    check_axe()

    answer(page, MORE)
    send(page, "Voir les métiers")
    assert re.search(r"/explorer/resultats\?r1=1&r2=0&.*r8=3", page.url), page.url
    assert page.locator("h1").inner_text() == "Des métiers à découvrir"
    cards = page.locator("ol.explorer-results > li")
    assert cards.count() >= 10
    assert "Vous aimez" in cards.first.inner_text()
    check_axe()

    link = tab_to(page, "el.textContent.trim() === 'Télécharger mon résumé'", "the summary download link")
    summary = page.request.get(live_server.url + link["href"])
    assert summary.status == 200 and "Des métiers à découvrir" in summary.text()

    tab_to(page, "el.id === 'id_niveau_max'", "the study level select")
    page.keyboard.type("CAP")
    send(page, "Mettre à jour les résultats")
    assert "niveau_max=3" in page.url
    assert page.locator("ol.explorer-results > li").count() >= 1
    check_axe()
    assert not problems, "\n\n".join(problems)
