"""Three people ask their question by keyboard only, read their answer and follow "Être contacté·e" to the referral
form; axe (WCAG 2.1 A/AA) on the form, each answer page and the referral pages.

One test imports what the answer needs (the live server flushes the database after each test, so imports are not
shared between tests): geography, ROME 4.0 and the demo directory of Bretagne.
"""

from __future__ import annotations

import pytest

from spro.answer.models import AnswerStat
from tests.browser.harness import axe_violations, format_violations, warm_answer_indexes
from tests.browser.test_search_journey import tab_to

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PEOPLE = [
    {
        "who": "a pupil who left school",
        "text": "J'ai 17 ans, j'ai arrêté le lycée en cours d'année et je sais pas quoi faire maintenant",
        "age": "17",
        "statut": "Lyc",  # typed on the focused select: "Lycéen ou lycéenne"
        "commune": "Rennes",
        "handicap": False,
        "typologies": {"CIO", "ML", "PSAD"},
    },
    {
        "who": "an employee in career change",
        "text": "Je suis aide-soignante depuis huit ans à l'hôpital et je voudrais devenir infirmière",
        "age": "38",
        "statut": "Sal",
        "commune": "Brest",
        "handicap": False,
        "typologies": {"TRANSITIONS_PRO", "CEP"},
    },
    {
        "who": "a disabled job seeker",
        "text": "Je suis comptable, au chômage depuis un an, et je cherche un emploi adapté à mon handicap",
        "age": "45",
        "statut": "Dem",
        "commune": "Quimper",
        "handicap": True,
        "typologies": {"CAP_EMPLOI"},
    },
]


def test_three_people_get_their_answer_and_reach_the_referral_form_by_keyboard(
    page, live_server, browser_context_factory
):
    from tests.search.pages.conftest import import_datasets

    import_datasets(("geo", "rome", "structures"))
    warm_answer_indexes()
    problems: list[str] = []

    def check_axe() -> None:
        violations = axe_violations(page)
        if violations:
            problems.append(format_violations(violations, page.url))

    def press_enter_and_wait() -> None:
        with page.expect_navigation():
            page.keyboard.press("Enter")

    for number, person in enumerate(PEOPLE, start=1):
        page.goto(live_server.url + "/")
        tab_to(page, "el.getAttribute('href') === '/question'", "the home page's question entry")
        press_enter_and_wait()
        assert page.url.endswith("/question")
        if number == 1:
            check_axe()
        tab_to(page, "el.id === 'id_text'", "the question field")
        page.keyboard.type(person["text"])
        tab_to(page, "el.id === 'id_age'", "the age field")
        page.keyboard.type(person["age"])
        tab_to(page, "el.id === 'id_statut'", "the statut select")
        page.keyboard.type(person["statut"])
        tab_to(page, "el.id === 'id_commune'", "the commune field")
        page.keyboard.type(person["commune"])
        if person["handicap"]:
            tab_to(page, "el.id === 'id_handicap'", "the handicap box")
            page.keyboard.press("Space")
            assert page.locator("#id_handicap").is_checked()
        tab_to(
            page,
            "el.tagName === 'BUTTON' && el.textContent.includes('Obtenir ma réponse')",
            "the send button",
        )
        press_enter_and_wait()

        assert page.locator("h1").inner_text() == "Votre première réponse", person["who"]
        assert person["text"] not in page.url
        check_axe()
        proposed = set(
            page.locator("article[data-typologie]").evaluate_all("els => els.map(e => e.dataset.typologie)")
        )
        expected = sorted(person["typologies"] & proposed)
        assert expected, (person["who"], proposed)
        assert page.locator("#besoins li").count() >= 1
        assert page.locator("#etapes li").count() >= 3
        assert page.locator("[data-imprimer]").is_visible()  # with JavaScript, the print button is offered

        restated = page.locator("#besoins li").evaluate_all("els => els.map(e => e.dataset.besoin)")
        recommended = page.locator(".structure-card--recommandee").get_attribute("data-typologie")
        if recommended != expected[0]:  # the other places are folded under « Autres lieux (n) »: open it
            tab_to(page, "el.tagName === 'SUMMARY'", "the « Autres lieux » fold-out")
            page.keyboard.press("Enter")
        tab_to(
            page,
            f"el.classList.contains('orientation__contact') && el.closest('[data-typologie]').dataset.typologie === "
            f"'{expected[0]}'",
            f"the contact link of a {expected[0]} structure",
        )
        press_enter_and_wait()
        assert "/etre-contacte" in page.url and person["text"] not in page.url
        check_axe()
        tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('J’accepte')", "the consent button")
        press_enter_and_wait()
        assert page.locator("#id_first_name").count() == 1, "the referral form"
        # the needs of the answer arrive pre-checked (posted, never in the address)
        checked = page.locator("input[name=besoins]:checked").evaluate_all("els => els.map(e => e.value)")
        assert sorted(checked) == sorted(restated) and restated, person["who"]
        assert not any(code in page.url for code in restated)
        check_axe()

    assert AnswerStat.objects.filter(channel="page").count() == len(PEOPLE)

    # Without JavaScript: the same answer, and no print button that would do nothing.
    no_js = browser_context_factory(java_script_enabled=False).new_page()
    no_js.goto(live_server.url + "/question")
    no_js.fill("#id_text", PEOPLE[0]["text"])
    no_js.fill("#id_commune", "Rennes")
    with no_js.expect_navigation():
        no_js.click("text=Obtenir ma réponse")
    assert no_js.locator("h1").inner_text() == "Votre première réponse"
    assert not no_js.locator("[data-imprimer]").is_visible()
    assert no_js.locator("text=Télécharger le résumé").is_visible()
    assert not problems, "\n\n".join(problems)


def test_on_a_phone_the_recommended_place_and_its_button_are_on_the_first_screen(
    browser_context_factory, live_server
):
    """390×844: the recommended place's card and its primary « Être contacté·e » button are within the first screen
    (a layout assertion, not a timing one), the other places folded; axe on the page."""
    from tests.search.pages.conftest import import_datasets

    import_datasets(("geo", "rome", "structures"))
    warm_answer_indexes()
    phone = browser_context_factory(viewport={"width": 390, "height": 844}).new_page()
    person = PEOPLE[0]
    phone.goto(live_server.url + "/question")
    phone.fill("#id_text", person["text"])
    phone.fill("#id_age", person["age"])
    phone.fill("#id_commune", person["commune"])
    with phone.expect_navigation():
        phone.click("text=Obtenir ma réponse")
    card = phone.locator(".structure-card--recommandee")
    assert card.count() == 1
    button = card.get_by_role("button", name="Être contacté·e")
    box = button.bounding_box()
    assert box is not None and box["y"] + box["height"] < 844, box
    assert card.locator(".structure-card__raison").is_visible()
    assert card.locator("a[href^='tel:']").count() <= 1
    # One primary button on the first screen; the others wait behind « Autres lieux (n) ».
    visible = [b for b in phone.get_by_role("button", name="Être contacté·e").all() if b.is_visible()]
    assert len(visible) == 1, len(visible)
    assert phone.locator("details.answer__autres-lieux > summary").inner_text().startswith("Autres lieux (")
    violations = axe_violations(phone)
    assert not violations, format_violations(violations, phone.url)


def test_back_from_the_contact_page_returns_to_the_answer(browser_context_factory, live_server):
    """The answer has its own address: Back from « Être contacté·e » shows the answer again (no ERR_CACHE_MISS),
    « Revenir à ma réponse » leads there too, and the text is in no address."""
    from tests.search.pages.conftest import import_datasets

    import_datasets(("geo", "rome", "structures"))
    warm_answer_indexes()
    page = browser_context_factory().new_page()
    person = PEOPLE[0]
    page.goto(live_server.url + "/question")
    page.fill("#id_text", person["text"])
    page.fill("#id_commune", person["commune"])
    with page.expect_navigation():
        page.click("text=Obtenir ma réponse")
    answer_url = page.url
    assert "/question/reponse?" in answer_url and person["text"][:10] not in answer_url
    with page.expect_navigation():
        page.locator(".structure-card--recommandee .orientation__contact").click()
    assert "/etre-contacte" in page.url
    response = page.go_back(wait_until="load")  # a POST answer gave ERR_CACHE_MISS here
    assert response is None or response.ok
    assert page.url == answer_url
    assert page.locator("h1").inner_text() == "Votre première réponse"
    assert page.locator(".structure-card--recommandee").count() == 1
    with page.expect_navigation():
        page.locator(".structure-card--recommandee .orientation__contact").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Revenir à ma réponse").click()
    assert page.url == answer_url and page.locator(".structure-card--recommandee").count() == 1
