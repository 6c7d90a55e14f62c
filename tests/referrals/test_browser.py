"""A person asks to be contacted by keyboard only, gets the follow link, then withdraws consent; axe on every page."""

from __future__ import annotations

import pytest

from spro.referrals.models import Referral, Status
from tests.browser.harness import axe_violations, format_violations
from tests.browser.test_search_journey import tab_to

from .conftest import make_structure

pytestmark = pytest.mark.browser


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, format_violations(violations, page.url)


def test_person_asks_to_be_contacted_then_withdraws_by_keyboard(page, live_server, transactional_db):
    structure = make_structure(di_id="test--cio-rennes")
    page.goto(f"{live_server.url}/structures/{structure.di_id}/etre-contacte")
    assert "À qui" in page.content()
    assert_accessible(page)

    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('J’accepte')", "the consent button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)

    # Sent empty first: errors are announced, linked to their fields, and the page stays accessible.
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Envoyer')", "the send button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("[role=alert]").count() >= 1
    assert page.locator("#id_first_name[aria-invalid=true]").count() == 1
    assert_accessible(page)

    tab_to(page, "el.id === 'id_first_name'", "the first-name field")
    page.keyboard.type("Camille")
    tab_to(page, "el.id === 'id_contact_value'", "the contact field")
    page.keyboard.type("camille@example.org")
    tab_to(page, "el.id === 'id_message'", "the message field")
    page.keyboard.type("Je voudrais changer de métier.")
    tab_to(page, "el.id === 'id_besoins_5'", "the 'évolution professionnelle' need")
    page.keyboard.press("Space")
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Envoyer')", "the send button")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "Votre demande a bien été envoyée" in page.content()
    link = page.locator("#lien-suivi").inner_text()
    assert link.startswith(f"{live_server.url}/suivi/")
    assert_accessible(page)
    referral = Referral.objects.get()
    assert referral.besoins == ["evolution-professionnelle"] and referral.first_name == "Camille"

    # Later, from the follow link: withdraw consent.
    page.goto(link)
    tab_to(page, "el.textContent.trim() === 'Retirer ma demande'", "the withdraw link")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Oui, retirer')", "the confirm button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Votre demande a été retirée" in page.content()
    assert_accessible(page)
    referral.refresh_from_db()
    assert referral.status == Status.RETIREE and referral.first_name == ""


def test_person_answers_the_appointment_by_keyboard(page, live_server, transactional_db):
    import datetime as dt

    from django.utils import timezone

    from spro.referrals import workflow

    from .conftest import make_referral, make_user

    structure = make_structure(di_id="test--cio-brest", nom="CIO de Brest")
    conseiller = make_user("rdv", structure)
    referral, token = make_referral(structure)
    when = timezone.now() + dt.timedelta(days=4)
    workflow.apply(referral, "accepter", user=conseiller, appointment=workflow.Appointment(when, "telephone"))
    page.goto(f"{live_server.url}/suivi/{token}")
    assert_accessible(page)
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Je confirme')", "the confirm button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "vous avez confirmé le rendez-vous" in page.content()
    assert_accessible(page)
    tab_to(page, "el.id === 'disponibilites'", "the availabilities field")
    page.keyboard.type("Le jeudi matin")
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('autre rendez-vous')", "the move button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Votre demande d’un autre rendez-vous a été transmise" in page.content()
    assert_accessible(page)
    referral.refresh_from_db()
    assert referral.appointment_change_requested_at is not None
    assert referral.transitions.last().note == "Le jeudi matin"
