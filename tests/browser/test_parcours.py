"""Issue 15 §2, Karim's journey by keyboard (42, cariste, back pain, wants to leave load-carrying work) on the real
ROME files: from his fiche's parcours page he ticks « Éviter Port et manipulation de charges… », sends the form,
sees métiers without loads, opens a folded list of things to learn; with and without JavaScript, axe (a script
itself) checking the JavaScript run."""

from __future__ import annotations

import pytest

from tests.browser.harness import assert_no_axe_violations
from tests.search.pages.conftest import import_datasets

pytestmark = pytest.mark.browser

CHARGES = "Éviter « Port et manipulation de charges lourdes ou encombrantes »"


def test_karim_finds_metiers_without_loads_by_keyboard(browser_context_factory, live_server):
    import_datasets(("rome",))
    for javascript in (True, False):
        karim_journey(
            browser_context_factory(java_script_enabled=javascript).new_page(), live_server.url, javascript
        )


def karim_journey(page, server: str, javascript: bool) -> None:
    """axe is a script: it runs where JavaScript is on (the page has no script of its own, so the markup is the same
    without it); the keyboard journey runs in both."""
    page.goto(server + "/metiers/N1101/parcours")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Après le métier Cariste : vers quels métiers aller ?"
    )
    first_step = page.locator("#titre-un-pas + ol .result-card__title").all_inner_texts()
    assert len(first_step) == 10 and "Manutentionnaire" in first_step
    if javascript:
        assert_no_axe_violations(page)

    checkbox = page.get_by_label(CHARGES)
    checkbox.focus()
    page.keyboard.press("Space")
    assert checkbox.is_checked()
    page.get_by_role("button", name="Voir les métiers").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "sans_contexte=300795" in page.url
    assert page.get_by_label(CHARGES).is_checked()
    cards = page.locator(".result-card__title")
    first_step = page.locator("#titre-un-pas + ol .result-card__title").all_inner_texts()
    assert first_step == ["Aiguilleur / Aiguilleure du rail", "Grutier / Grutière"]
    assert "Conducteur / Conductrice de train" in cards.all_inner_texts()
    assert (
        page.get_by_role("link", name="Manutentionnaire", exact=True).count() == 0
    )  # neither target nor step
    assert page.get_by_text("métiers sont cachés parce que vous voulez éviter").is_visible()

    fold = page.locator(".result-card details.fold > summary").first
    fold.focus()
    page.keyboard.press("Enter")
    assert page.locator(".result-card details.fold[open]").count() == 1
    assert page.locator(".result-card details.fold[open] li").first.is_visible()
    if javascript:
        assert_no_axe_violations(page)
