"""Issue 14, the fiche métier and the structure page at 1280 px and on a phone (390×844): the summary band in the
first screen, no sideways scrolling, the folds open from the keyboard, and axe finds no violation."""

from __future__ import annotations

import json

import pytest

from tests.browser.harness import assert_no_axe_violations
from tests.directory.conftest import import_file, service, structure
from tests.search.pages.conftest import import_datasets

pytestmark = pytest.mark.browser

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def top_of(page, selector: str) -> float:
    return page.evaluate(
        f"() => document.querySelector('{selector}').getBoundingClientRect().top + window.scrollY"
    )


def test_the_fiche_and_the_structure_page_on_a_wide_screen_and_a_phone(
    browser_context_factory, live_server, tmp_path
):
    import_datasets(("geo", "rome", "bcn", "certifinfo", "onisep", "tension"))
    document = tmp_path / "structures.json"
    document.write_text(
        json.dumps(
            {
                "structures": [
                    structure("ml", nom="Mission locale", telephone="02 99 12 34 56", adresse="1 rue A")
                ],
                "services": [service("ml", conditions_acces="Apporter une pièce d’identité.")],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    assert import_file(document).status == "success"
    for name, options in VIEWPORTS.items():
        page = browser_context_factory(**options).new_page()
        page.goto(live_server.url + "/metiers/J1506?commune=35000")
        height = options["viewport"]["height"]
        assert top_of(page, ".summary-band") < height, name
        assert page.evaluate(SIDEWAYS) == 0, name
        assert (
            page.locator("#formations-pres-haut").is_visible()
            and page.locator("#conseiller-bas").count() == 1
        )
        assert_no_axe_violations(page)
        # The folded skills open from the keyboard.
        fold = page.locator(
            "#competences ~ details summary, section:has(#competences) details > summary"
        ).first
        fold.focus()
        page.keyboard.press("Enter")
        assert page.get_by_role("heading", name="Connaissances").is_visible(), name
        assert_no_axe_violations(page)

        page.goto(live_server.url + "/structures/test--ml")
        assert page.get_by_text("Mis à jour le").first.is_visible()
        assert page.get_by_role("link", name="02 99 12 34 56").is_visible()
        assert page.get_by_text("Apporter une pièce d’identité.").is_visible()
        assert page.evaluate(SIDEWAYS) == 0, name
        assert_no_axe_violations(page)
