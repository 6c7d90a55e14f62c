"""The conseillère's accompaniment pages by keyboard only, axe (WCAG 2.1 A/AA) 0 on every page met: the list, the
form to open on the spot (consent), the page giving the pathway's private link, the accompaniment's page, a note
written, the accompaniment closed with an outcome."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.harness import KeyboardWalk
from tests.referrals.conftest import make_structure, make_user

pytestmark = [pytest.mark.browser]


def test_open_on_the_spot_write_a_note_and_close_by_keyboard(browser_context_factory, live_server):
    from django.test import Client

    from spro.accompaniment.models import Accompaniment

    structure = make_structure(nom="Mission locale de Quimper", courriel="ml@example.org", typologie="ML")
    user = make_user("conseillere", structure)
    client = Client()
    client.force_login(user)
    context = browser_context_factory()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page: Any = context.new_page()
    walk = KeyboardWalk(page, live_server.url)
    page.goto(live_server.url + "/pro/accompagnements")
    walk.axe()
    walk.tab_to(page.get_by_role("link", name="Ouvrir un accompagnement sur place"), "the open link")
    walk.press()
    walk.fill(page.get_by_label("Prénom de la personne"), "Karim", "the first name")
    walk.fill(
        page.get_by_label("Adresse électronique ou numéro de téléphone"), "karim@example.org", "contact"
    )
    walk.fill(page.get_by_label("Son projet, en quelques mots"), "Devenir technicien", "the project")
    walk.tab_to(
        page.get_by_label("La personne a lu ou entendu ce texte et donne son accord."), "the consent box"
    )
    page.keyboard.press("Space")
    walk.tab_to(page.get_by_role("button", name="Ouvrir l’accompagnement"), "the submit button")
    walk.press()
    assert "/parcours/" in page.get_by_role("textbox", name="Lien privé").input_value()
    walk.tab_to(page.get_by_role("link", name="Aller à l’accompagnement"), "the accompaniment link")
    walk.press()
    walk.fill(page.get_by_label("Nouvelle note"), "Souhaite se reconvertir.", "the note")
    walk.tab_to(page.get_by_role("button", name="Enregistrer la note"), "the note button")
    walk.press()
    assert "Souhaite se reconvertir." in page.get_by_role("main").inner_text()
    # A radio group is one Tab stop (its first choice); the arrow keys choose within it.
    walk.tab_to(page.get_by_label("Accès ou retour à l’emploi"), "the outcomes")
    page.keyboard.press("ArrowDown")
    assert page.get_by_label("Entrée en formation").is_checked()
    walk.tab_to(page.get_by_role("button", name="Clore l’accompagnement"), "the close button")
    walk.press()
    assert "Accompagnement clos." in page.get_by_role("main").inner_text()
    accompaniment = Accompaniment.objects.get()
    assert accompaniment.status == "clos" and accompaniment.outcome == "formation"
    assert not walk.problems, "\n\n".join(walk.problems)
