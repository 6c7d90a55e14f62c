"""Issue 19 « Done when » (dashboards): by keyboard, axe-core (WCAG 2.1 AA) 0 violations on every page shown —
a Region pilot compares two quarters for a département and exports the table as ODS (a valid file with the figures);
a network head sees only its network (another's structure is a 404); a structure sees only itself. The first contacts
are recorded through `spro.contacts.log.record`, so the rollups fill by the signals as in production. The charts
are drawn by the vendored Chart.js under the site's Content-Security-Policy (the harness fails on any CSP report)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from tests.accounts.factories import build_network
from tests.browser.harness import assert_no_axe_violations
from tests.browser.test_governance import button, log_in, press_enter_and_wait, type_into
from tests.browser.test_search_journey import tab_to
from tests.monitoring.conftest import add_contact

pytestmark = pytest.mark.browser


@pytest.fixture
def network(db):
    """Cornouaille's ML (29, network ML): 8 contacts in 2026-T1, 12 in 2026-T2 (7 by phone, 5 on site); the CIO de
    Rennes (35): 6 in 2026-T2."""
    network = build_network()
    for month, channel, n in ((2, "telephone", 8), (5, "telephone", 7), (5, "sur-place", 5)):
        for _ in range(n):
            add_contact(network, date=dt.date(2026, month, 3), channel=channel, commune=network["29232"])
    for _ in range(6):
        add_contact(network, "b", "conseiller_b", date=dt.date(2026, 5, 3), commune=network["35238"])
    return network


def choose_option(page, select_id: str, value: str) -> None:
    """Tab to a select and move with the arrow keys until `value` is chosen, as a keyboard user does."""
    tab_to(page, f"el.id === {select_id!r}", select_id)
    page.keyboard.press("Home")
    for _ in range(200):
        if page.evaluate("(id) => document.getElementById(id).value", select_id) == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{value} not reached in {select_id}")


def table_text(page, code: str) -> str:
    return page.locator(f"#tableau-{code}").inner_text()


def charts_drawn(page) -> int:
    page.wait_for_function("document.querySelectorAll('[data-chart-drawn] canvas[role=img]').length > 0")
    return page.locator("[data-chart-drawn] canvas[role=img][aria-label][aria-describedby]").count()


def test_a_region_pilot_compares_two_quarters_for_a_departement_and_exports_ods(
    browser_context_factory, live_server, network
):
    base = live_server.url
    page = browser_context_factory(accept_downloads=True).new_page()
    log_in(page, base, network["users"]["pilote_region"])
    tab_to(page, "el.textContent.trim() === 'Tableau de bord du pilotage'", "the dashboard link")
    press_enter_and_wait(page)
    assert page.url.startswith(f"{base}/pro/pilotage/"), page.url
    assert "Pilote Région" in page.locator("main").inner_text()
    assert_no_axe_violations(page)

    type_into(page, "id_periode", "2026-T2")
    type_into(page, "id_comparaison", "2026-T1")
    choose_option(page, "id_territoire", "departement:29")
    choose_option(page, "id_ventilation", "canal")
    tab_to(page, button("Afficher"), "the show button")
    press_enter_and_wait(page)
    assert "territoire=departement%3A29" in page.url, page.url
    assert (
        "2e trimestre 2026 comparé à 1er trimestre 2026, Finistère (29)"
        in page.locator("#resume").inner_text()
    )
    rows = table_text(page, "premiers-contacts")
    assert "Téléphone\t7\t8\t−1 (−12 %)" in rows
    assert "Accueil sur place\t5\t0\t+5" in rows
    assert "Total\t12\t8\t+4 (+50 %)" in rows
    assert charts_drawn(page) >= 1  # Chart.js drew the charts; each table stays beside its chart
    assert page.locator("#graphique-premiers-contacts-desc").is_visible()
    assert_no_axe_violations(page)

    tab_to(page, "el.textContent.trim() === 'ODS – Premiers contacts'", "the ODS link of the contacts table")
    with page.expect_download() as downloading:
        page.keyboard.press("Enter")
    download = downloading.value
    assert download.suggested_filename == "premiers-contacts-2026-T2-2026-T1.ods"
    with zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes())) as ods:
        assert ods.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        content = ods.read("content.xml").decode()
    for text in (
        "Téléphone",
        "2e trimestre 2026",
        "1er trimestre 2026",
        'office:value="12"',
        'office:value="4"',
    ):
        assert text in content, text


def test_a_network_head_sees_only_its_network(browser_context_factory, live_server, network):
    base = live_server.url
    page = browser_context_factory().new_page()
    log_in(page, base, network["users"]["tete_ml_bzh"])
    page.goto(f"{base}/pro/pilotage/")
    type_into(page, "id_periode", "2026-T2")
    tab_to(page, button("Afficher"), "the show button")
    press_enter_and_wait(page)
    assert "Tête de réseau" in page.locator("main").inner_text()
    # The ML network in Bretagne: Cornouaille's 12 contacts, never the CIO de Rennes' 6.
    assert "Total\t12\t8\t+4 (+50 %)" in table_text(page, "premiers-contacts")
    options = page.locator("#id_structure option").all_inner_texts()
    assert options == ["Toutes", "Mission locale du Pays de Cornouaille"]
    assert_no_axe_violations(page)
    forged = page.goto(f"{base}/pro/pilotage/?periode=2026-T2&structure={network['b'].pk}")
    assert forged is not None and forged.status == 404
    forged = page.goto(f"{base}/pro/pilotage/?periode=2026-T2&territoire=departement:14")
    assert forged is not None and forged.status == 404


def test_a_structure_sees_only_itself(browser_context_factory, live_server, network):
    base = live_server.url
    page = browser_context_factory().new_page()
    log_in(page, base, network["users"]["conseiller_b"])
    tab_to(page, "el.textContent.trim() === 'Tableau de bord du pilotage'", "the dashboard link")
    press_enter_and_wait(page)
    type_into(page, "id_periode", "2026-T2")
    tab_to(page, button("Afficher"), "the show button")
    press_enter_and_wait(page)
    assert "Total\t6\t0\t+6" in table_text(page, "premiers-contacts")
    assert page.locator("#id_territoire option").all_inner_texts() == ["Votre structure"]
    assert_no_axe_violations(page)
    forged = page.goto(f"{base}/pro/pilotage/?periode=2026-T2&structure={network['a'].pk}")
    assert forged is not None and forged.status == 404


def test_without_javascript_the_tables_are_the_whole_dashboard(browser_context_factory, live_server, network):
    """Progressive enhancement: no script, no canvas and no text about bars; the tables carry every figure. (Logged
    in with scripts on, the test helpers need them; axe, a script too, checks the same page in the tests above.)"""
    base = live_server.url
    signing_in = browser_context_factory()
    log_in(signing_in.new_page(), base, network["users"]["pilote_region"])
    page = browser_context_factory(
        java_script_enabled=False, storage_state=signing_in.storage_state()
    ).new_page()
    response = page.goto(f"{base}/pro/pilotage/?periode=2026-T2&territoire=departement:29")
    assert response is not None and response.status == 200
    assert "Total\t12\t8\t+4 (+50 %)" in table_text(page, "premiers-contacts")
    assert page.locator("canvas").count() == 0
    assert not page.locator("#graphique-premiers-contacts-desc").is_visible()
