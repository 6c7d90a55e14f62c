"""Issue 19 « Done when » (register): by keyboard, axe-core (WCAG 2.1 AA) on every page — a structure writes a good
practice and submits it, the Region publishes it, another structure finds it by search."""

from __future__ import annotations

import pytest

from spro.practices.models import Practice
from tests.accounts.factories import build_network
from tests.browser.test_governance import assert_accessible, button, log_in, press_enter_and_wait, type_into
from tests.browser.test_search_journey import tab_to

pytestmark = pytest.mark.browser

TITLE = "Permanence commune CIO et Mission locale au lycée"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def link(text: str) -> str:
    return f"el.tagName === 'A' && el.textContent.trim() === {text!r}"


def test_a_structure_submits_the_region_publishes_another_structure_finds_it(
    browser_context_factory, live_server
):
    base = live_server.url
    network = build_network()
    users = network["users"]

    # A Mission locale's adviser writes the entry and submits it.
    author = browser_context_factory().new_page()
    log_in(author, base, users["conseiller_a"])
    author.goto(f"{base}/pro/pratiques")
    assert_accessible(author)
    tab_to(author, link("Rédiger une fiche"), "the new entry link")
    press_enter_and_wait(author)
    assert_accessible(author)
    type_into(author, "id_title", TITLE)
    tab_to(author, "el.id === 'id_kind_0'", "the first kind")
    author.keyboard.press("Space")  # « Bonne pratique »
    type_into(author, "id_territory_code", "29232")
    type_into(
        author, "id_text", "Une demi-journée par mois, les conseillères reçoivent ensemble les décrocheurs."
    )
    tab_to(author, button("Enregistrer le brouillon"), "the save button")
    press_enter_and_wait(author)
    practice = Practice.objects.get()
    assert author.url.endswith(f"/pro/pratiques/{practice.pk}"), author.url
    assert (practice.status, practice.kind, practice.network) == ("brouillon", "bonne_pratique", "ML")
    assert_accessible(author)
    tab_to(author, button("Soumettre à la Région"), "the submit button")
    press_enter_and_wait(author)
    assert "La fiche est soumise à la Région" in author.locator("main").inner_text()
    practice.refresh_from_db()
    assert practice.status == "soumise"
    assert_accessible(author)

    # The Region's pilot finds it in « À relire » and publishes it.
    region = browser_context_factory().new_page()
    log_in(region, base, users["pilote_region"])
    region.goto(f"{base}/pro/pratiques")
    assert "À relire par la Région (1)" in region.locator("main").inner_text()
    assert_accessible(region)
    tab_to(region, link(TITLE), "the submitted entry")
    press_enter_and_wait(region)
    assert_accessible(region)
    tab_to(region, button("Publier pour le réseau"), "the publish button")
    press_enter_and_wait(region)
    practice.refresh_from_db()
    assert (practice.status, practice.reviewed_by) == ("publiee", users["pilote_region"])
    assert_accessible(region)

    # The CIO of Rennes finds it by searching.
    reader = browser_context_factory().new_page()
    log_in(reader, base, users["conseiller_b"])
    reader.goto(f"{base}/pro/pratiques")
    type_into(reader, "id_q", "decrocheurs lycee")
    tab_to(reader, button("Chercher"), "the search button")
    press_enter_and_wait(reader)
    assert "1 fiche publiée pour cette recherche" in reader.locator("main").inner_text()
    assert_accessible(reader)
    tab_to(reader, link(TITLE), "the found entry")
    press_enter_and_wait(reader)
    assert reader.url.endswith(f"/pro/pratiques/{practice.pk}"), reader.url
    assert "reçoivent ensemble les décrocheurs" in reader.locator("main").inner_text()
    assert_accessible(reader)
