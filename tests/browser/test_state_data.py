"""Issue 19 « Done when » (State data): a State pilot imports its services' figures by keyboard — a file with one
bad line is rejected with a clear error and nothing is written; then a clean file is imported and its figures are
listed. axe-core (WCAG 2.1 AA) on every page shown."""

from __future__ import annotations

import pytest

from spro.referentials.geo.models import BassinEmploi, Commune
from spro.statedata.models import ImportRun, StateFigure
from tests.accounts.factories import build_network
from tests.browser.harness import autofocused
from tests.browser.test_governance import assert_accessible, button, log_in, press_enter_and_wait
from tests.browser.test_search_journey import tab_to

pytestmark = pytest.mark.browser

HEADER = "service;periode;territoire_niveau;territoire_code;indicateur;valeur;source"
BAD = (
    f"{HEADER}\n"
    "cio;2026-T1;commune;35238;entretiens;120;Rectorat\n"
    "france_travail;2026-T1;departement;99;premiers_accueils;45;\n"
)
CLEAN = (
    f"{HEADER}\n"
    "cio;2026-T1;commune;35238;entretiens;120;Rectorat\n"
    "france_travail;2026-T1;departement;35;premiers_accueils;45;\n"
    "mission_locale;2026-T1;bassin;5303;personnes_accompagnees;3;\n"
)


def choose_file_by_keyboard(page, path) -> None:
    """Tab to the file field and open its chooser with Enter, as a keyboard user does."""
    tab_to(page, "el.id === 'id_file'", "the file field")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Enter")
    chooser.value.set_files(str(path))


def test_a_state_pilot_imports_a_bad_file_then_a_clean_one_by_keyboard(
    browser_context_factory, live_server, tmp_path
):
    base = live_server.url
    network = build_network()
    BassinEmploi.objects.create(code="5303", nom="Rennes")
    Commune.objects.filter(code_insee="35238").update(bassin_emploi_id="5303")
    bad, clean = tmp_path / "etat-t1.csv", tmp_path / "etat-t1-corrige.csv"
    bad.write_text(BAD, encoding="utf-8")
    clean.write_text(CLEAN, encoding="utf-8")

    page = browser_context_factory().new_page()
    # A listener for the whole test keeps Playwright's interception of file choosers on: without it, the chooser
    # opened by Enter can come before `expect_file_chooser` has switched the interception on, and is lost.
    page.on("filechooser", lambda chooser: None)
    log_in(page, base, network["users"]["pilote_etat"])
    page.goto(f"{base}/pro/donnees-etat")
    assert_accessible(page)
    tab_to(page, "el.textContent.trim() === 'Importer un fichier'", "the import link")
    press_enter_and_wait(page)
    assert page.url.endswith("/pro/donnees-etat/import"), page.url
    assert_accessible(page)

    # One bad line: the whole file is refused, the error names its line and field, nothing is written.
    choose_file_by_keyboard(page, bad)
    tab_to(page, button("Importer le fichier"), "the import button")
    press_enter_and_wait(page)
    summary = page.locator("#erreurs-import")
    assert summary.is_visible()
    text = summary.inner_text()
    assert "Fichier rejeté : 1 erreur, rien n’a été enregistré" in text
    assert "Ligne 3, champ « territoire_code » : département « 99 » inconnu des référentiels" in text
    assert autofocused(page, "el.id === 'erreurs-import'")
    assert not StateFigure.objects.exists() and not ImportRun.objects.exists()
    assert_accessible(page)

    # The corrected file: imported, then listed.
    choose_file_by_keyboard(page, clean)
    tab_to(page, button("Importer le fichier"), "the import button")
    press_enter_and_wait(page)
    assert page.url.endswith("/pro/donnees-etat"), page.url
    main = page.locator("main").inner_text()
    assert "Fichier « etat-t1-corrige.csv » importé : 3 valeur(s) créée(s)" in main
    assert StateFigure.objects.count() == 3
    rows = page.locator("main table tbody tr")
    assert rows.count() == 3
    assert (
        "Mission locale\t2026-T1\tBassin d’emploi 5303\tPersonnes accompagnées\t3" in rows.nth(2).inner_text()
    )
    assert_accessible(page)

    # Filtering by keyboard: the service select, then « Filtrer ».
    tab_to(page, "el.id === 'id_service'", "the service filter")
    page.keyboard.press("ArrowDown")  # « CIO »
    tab_to(page, button("Filtrer"), "the filter button")
    press_enter_and_wait(page)
    assert "service=cio" in page.url, page.url
    assert page.locator("main table tbody tr").count() == 1
    assert_accessible(page)
