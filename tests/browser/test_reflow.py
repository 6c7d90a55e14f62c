"""Issue 14, « Done when »: every public page fits a 320 px screen without sideways scrolling (WCAG 1.4.10
Reflow) and has no axe violation (WCAG 2.1 A/AA); the search page's layout (filters in a left column on a wide
screen, behind « Filtrer » on a phone, usable by keyboard); and the site is usable without JavaScript, from the home
page to a sent « Être contacté·e » request.

The three parts run in one test on one import (the live server flushes the database after each test, so a test per
part or per page would import it again each time): the search pages' datasets, the demo directory of Bretagne, the
real search index and the answer's indexes. Pages are looped inside the parts; the report names every failing page,
and a failing part does not stop the others.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command

from tests.browser.harness import axe_violations, format_violations, warm_answer_indexes
from tests.search.pages.conftest import PAGE_DATASETS, import_datasets

pytestmark = pytest.mark.browser

SMALL = {"viewport": {"width": 320, "height": 640}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
QUESTION = "J'ai 17 ans, j'ai arrêté le lycée et je voudrais travailler avec des enfants"
STRUCTURE = "spro-demo--cio-5318"  # CIO de Lorient, in the demo directory
MAX_TABS = 300

# The pages reached by their address (the answer and the « Être contacté·e » steps are reached through forms).
PAGES = {
    "home": "/",
    "search with results": "/recherche?q=infirmier",
    "search with filters": "/recherche?q=infirmier&type=formation&region=53",
    "search: formations": "/recherche?type=formation",
    "fiche métier": "/metiers/J1506",
    "fiche formation": "/formations/onisep-FOR.2378",
    "fiche formation (offer)": "/formations/offre-9436_18706",
    "certification": "/certifications/certifinfo-64144",
    "domaines": "/domaines/",
    "domaine": "/domaines/J15",
    "centres d'intérêt": "/centres-interet/",
    "centre d'intérêt": "/centres-interet/4",
    "question": "/question",
    "structures": "/structures",
    "structures near a commune": "/structures?commune=Lorient+56100",
    "structure": f"/structures/{STRUCTURE}",
    "parcours de métiers": "/metiers/J1506/parcours",
    "aides": "/aides",
    "aides for a situation": "/aides?age=17&commune=Lorient+56100",
    "aides with an error": "/aides?age=abc",
    "explorer": "/explorer",
    "explorer results": "/explorer/resultats?r1=1&r2=2&r3=1&r8=3&r9=2&r14=1&r22=3&r23=2&r30=0",
    "explorer with an error": "/explorer/resultats?r1=9",
    "404": "/cette-page-n-existe-pas/",
    "mentions légales": "/mentions-legales/",
    "accessibilité": "/accessibilite/",
    "données personnelles": "/donnees-personnelles/",
    "plan du site": "/plan-du-site/",
    "sources des données": "/sources-des-donnees/",
}

# The document's width against the screen's, and the elements that stick out on the right (the deepest first: a
# wide table rather than every box around it), to say what to fix.
OVERFLOW = """() => {
    const doc = document.documentElement;
    const limit = doc.clientWidth;
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.right <= limit + 0.5) continue;
        if ([...el.children].some(child => child.getBoundingClientRect().right > limit + 0.5)) continue;
        const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
            + (el.classList.length ? '.' + [...el.classList].join('.') : '');
        out.push(`${name} (right ${Math.round(box.right)} px): ${el.outerHTML.slice(0, 120)}`);
    }
    return {scroll: doc.scrollWidth, client: limit, elements: out.slice(0, 8)};
}"""


def load() -> None:
    """The search pages' datasets and the demo directory, the real search index and the answer's indexes."""
    import_datasets((*PAGE_DATASETS, "structures"))
    call_command("reindex", verbosity=0)  # the real search index; a failure fails the test
    warm_answer_indexes()


def overflow(page: Any) -> str:
    """'' when the page fits its screen; otherwise what sticks out, for the assertion message."""
    found = page.evaluate(OVERFLOW)
    if found["scroll"] <= found["client"]:
        return ""
    lines = [f"{page.url}: {found['scroll']} px wide on a {found['client']} px screen"]
    return "\n  ".join(lines + found["elements"])


class Checker:
    """Checks each page met (fits the screen, no axe violation) and collects the problems to report them all."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.problems: list[str] = []
        self.checked: list[str] = []

    def check(self, name: str) -> None:
        """As the page comes, then with every fold-out open (the menu, « Autres lieux », « Pour les
        professionnels », the filters…): what a fold hides must reflow too."""
        self.checked.append(name)
        too_wide = overflow(self.page)
        if too_wide:
            self.problems.append(f"[{name}] sideways scroll: {too_wide}")
        opened = self.page.evaluate(
            "() => { const closed = [...document.querySelectorAll('details:not([open])')];"
            " closed.forEach(d => { d.open = true; }); return closed.length; }"
        )
        too_wide = overflow(self.page) if opened else ""
        if too_wide:
            self.problems.append(f"[{name}, {opened} fold-outs opened] sideways scroll: {too_wide}")
        violations = axe_violations(self.page)
        if violations:
            self.problems.append(f"[{name}] " + format_violations(violations, self.page.url))

    def submit(self, click: Callable[[], None]) -> Any:
        with self.page.expect_navigation() as navigation:
            click()
        response = navigation.value
        assert response is not None, self.page.url
        return response


def ask_and_contact(checker: Checker, base: str) -> None:
    """/question → the answer → « Être contacté·e » consent → form (sent empty, then filled) → confirmation,
    each page checked."""
    page = checker.page
    page.goto(base + "/question")
    page.get_by_label("Votre question").fill(QUESTION)
    page.get_by_label(re.compile("^Votre commune")).fill("Lorient 56100")
    response = checker.submit(lambda: page.get_by_role("button", name="Obtenir ma réponse").click())
    assert response.status == 200 and "/question/reponse?" in page.url, page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Votre première réponse"
    checker.check("answer")
    contact = page.locator(".structure-card--recommandee").get_by_role(
        "button", name=re.compile("^Être contacté")
    )
    checker.submit(contact.click)
    assert "/etre-contacte" in page.url, page.url
    checker.check("contact: consent")
    checker.submit(lambda: page.get_by_role("button", name=re.compile("^J’accepte")).click())
    assert page.locator("#id_first_name").count() == 1, "the referral form"
    checker.check("contact: form")
    checker.submit(lambda: page.get_by_role("button", name="Envoyer ma demande").click())
    assert page.locator("#erreurs-formulaire, [role=alert]").count() >= 1, "the error summary"
    checker.check("contact: form with errors")
    page.locator("#id_first_name").fill("Lina")
    page.locator("#id_contact_value").fill("lina@example.org")
    checker.submit(lambda: page.get_by_role("button", name="Envoyer ma demande").click())
    assert "Votre demande a bien été envoyée" in page.get_by_role("main").inner_text()
    checker.check("contact: confirmation")


def every_public_page_fits_320_px_without_axe_violation(open_context: Callable[..., Any], base: str) -> None:
    """WCAG 1.4.10 and axe on every public page, in one 320×640 context; every problem is reported at once."""
    page = open_context(**SMALL).new_page()
    checker = Checker(page)
    for name, path in PAGES.items():
        response = page.goto(base + path)
        expected = {"404": 404, "aides with an error": 400}.get(name, 200)
        assert response.status == expected, (name, response.status)
        checker.check(name)
    ask_and_contact(checker, base)
    assert len(checker.checked) == len(PAGES) + 5
    assert not checker.problems, "\n\n".join(checker.problems)


def test_the_overflow_check_names_the_element_that_sticks_out(browser_context_factory, live_server):
    """The guard itself: a 400 px element on a 320 px page is found and named."""
    page = browser_context_factory(**SMALL).new_page()
    page.goto(live_server.url + "/mentions-legales/")
    assert overflow(page) == ""
    page.evaluate(
        "() => { const wide = document.createElement('div'); wide.id = 'trop-large'; wide.style.width = '400px';"
        " wide.style.height = '1px'; document.querySelector('main').append(wide); }"
    )
    report = overflow(page)
    assert "div#trop-large (right " in report and "px wide on a 320 px screen" in report, report


# --- The search page's layout ---------------------------------------------------------------------------------------


def filters_and_results(page: Any) -> tuple[dict, dict]:
    return (
        page.locator("form.search-filters__form").bounding_box(),
        page.locator("section.search-results").bounding_box(),
    )


def tab_until(page: Any, locator: Any, what: str) -> None:
    handle = locator.element_handle()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if handle.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {what} on {page.url}")


def the_search_filters_on_a_wide_screen_a_phone_by_keyboard_and_without_javascript(
    open_context: Callable[..., Any], base: str
) -> None:
    """What docs/design/search.md describes: a left column from 48 em, « Filtrer » below, one GET form."""
    url = base + "/recherche?q=infirmier"

    # 1280 px: the filters in a left column beside the results, no « Filtrer » button.
    page = open_context(**DESKTOP).new_page()
    page.goto(url)
    filters, results = filters_and_results(page)
    assert page.get_by_role("heading", name="Filtrer les résultats").is_visible()
    assert not page.locator("summary", has_text="Filtrer").is_visible()
    assert filters["x"] + filters["width"] <= results["x"], (filters, results)
    assert filters["x"] < 1280 / 3 and abs(filters["y"] - results["y"]) < 100, (filters, results)
    violations = axe_violations(page)
    assert not violations, format_violations(violations, page.url)

    # 390 px: the filters behind « Filtrer », above the results, opened and applied by keyboard only.
    page = open_context(**PHONE).new_page()
    page.goto(url)
    button = page.locator("summary", has_text="Filtrer")
    assert button.is_visible()
    assert not page.get_by_role("heading", name="Filtrer les résultats").is_visible()
    assert button.bounding_box()["y"] < page.locator("section.search-results").bounding_box()["y"]
    tab_until(page, button, "« Filtrer »")
    page.keyboard.press("Enter")
    assert page.get_by_role("heading", name="Filtrer les résultats").is_visible()
    violations = axe_violations(page)
    assert not violations, format_violations(violations, page.url)
    formation = page.locator("input[name=type][value=formation]")
    tab_until(page, page.locator("input[name=type]:checked"), "the type group")
    for _ in range(10):  # arrows move within the radio group, as in any radio group
        if formation.is_checked():
            break
        page.keyboard.press("ArrowDown")
    assert formation.is_checked()
    tab_until(page, page.get_by_role("button", name="Appliquer les filtres"), "« Appliquer les filtres »")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"[?&]type=formation(&|$)", page.url), page.url
    assert re.fullmatch(r"Filtrer\s*\(1\)", page.locator("summary", has_text="Filtrer").inner_text())

    # Without JavaScript: a filter, the pagination and « Toute la France ».
    page = open_context(java_script_enabled=False, **PHONE).new_page()
    page.goto(url)
    assert page.locator("script").count() == 0
    page.locator("summary", has_text="Filtrer").click()
    page.locator("label[for='f-type-metier']").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Appliquer les filtres").click()
    assert re.search(r"[?&]type=metier(&|$)", page.url), page.url
    assert page.get_by_role("main").get_by_text("retirer le filtre", exact=False).count() >= 1
    pages = page.get_by_role("navigation", name="Pages de résultats")
    assert pages.count() == 1, "the métiers of « infirmier » fill more than one page"
    with page.expect_navigation():
        pages.get_by_role("link", name="Page 2").click()
    assert re.search(r"[?&]page=2(&|$)", page.url), page.url
    current = page.get_by_role("navigation", name="Pages de résultats").locator("[aria-current=page]")
    assert current.inner_text() == "Page 2"
    page.goto(url + "&type=formation")
    assert "Lieux en Bretagne." in page.get_by_role("main").inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name="Toute la France").click()
    assert re.search(r"[?&]region=(&|$)", page.url), page.url
    assert "Lieux dans toute la France." in page.get_by_role("main").inner_text()


# --- Without JavaScript, from the home page to a sent request -------------------------------------------------------


def a_journey_without_javascript_from_home_to_a_sent_request(
    open_context: Callable[..., Any], base: str
) -> None:
    """The public pages ship no script: a phone without JavaScript goes from home to a sent request. (Axe runs in
    the page, so not here; the same pages are checked with JavaScript at 320 px.)"""
    from spro.referrals.models import Referral

    before = Referral.objects.count()
    page = open_context(java_script_enabled=False, **PHONE).new_page()
    checker = Checker(page)
    page.goto(base + "/")
    assert page.locator("script").count() == 0
    field = page.get_by_label("Rechercher un métier, une formation ou un lieu d’accueil")
    field.fill("infirmier")
    checker.submit(lambda: field.press("Enter"))
    assert re.search(r"/recherche\?q=infirmier$", page.url), page.url
    checker.submit(
        lambda: page.locator("ol.results").get_by_role("link", name=re.compile("^Infirmier")).first.click()
    )
    assert page.url.endswith("/metiers/J1506"), page.url
    # The menu, folded behind « Menu » on a phone without JavaScript, to « Poser une question ».
    page.locator("summary", has_text="Menu").click()
    menu = page.get_by_role("navigation", name="Menu principal")
    checker.submit(lambda: menu.get_by_role("link", name="Poser une question").click())
    assert page.url.endswith("/question")
    assert page.locator("script").count() == 0
    page.get_by_label("Votre question").fill(QUESTION)
    page.get_by_label(re.compile("^Votre commune")).fill("Lorient 56100")
    checker.submit(lambda: page.get_by_role("button", name="Obtenir ma réponse").click())
    assert page.get_by_role("heading", level=1).inner_text() == "Votre première réponse"
    contact = page.locator(".structure-card--recommandee").get_by_role(
        "button", name=re.compile("^Être contacté")
    )
    checker.submit(contact.click)
    assert "/etre-contacte" in page.url, page.url
    checker.submit(lambda: page.get_by_role("button", name=re.compile("^J’accepte")).click())
    page.locator("#id_first_name").fill("Lina")
    page.locator("#id_contact_value").fill("lina@example.org")
    checker.submit(lambda: page.get_by_role("button", name="Envoyer ma demande").click())
    assert "Votre demande a bien été envoyée" in page.get_by_role("main").inner_text()
    assert Referral.objects.filter(first_name="Lina").count() == before + 1


# --- The test: one data import for the three parts ----------------------------------------------------------------


def test_reflow_at_320_px_the_search_layout_and_the_site_without_javascript(
    browser_context_factory, live_server, settings
):
    """The three parts above on one import (about 30 to 55 s of the run; the live server flushes the database after
    each test). Every part runs even when one fails, and the report gives each failure with its traceback."""
    settings.SPRO_REFERRAL_RATE_LIMIT = ""
    settings.SPRO_REGION_CODE = "53"  # « Lieux en Bretagne » and « Toute la France » on the search page
    load()
    failures = []
    for part in (
        every_public_page_fits_320_px_without_axe_violation,
        the_search_filters_on_a_wide_screen_a_phone_by_keyboard_and_without_javascript,
        a_journey_without_javascript_from_home_to_a_sent_request,
    ):
        try:
            part(browser_context_factory, live_server.url)
        except Exception:  # an assertion or a Playwright timeout: report it, run the next part
            failures.append(f"--- {part.__name__} ---\n{traceback.format_exc()}")
    assert not failures, "\n\n".join(failures)
