"""The network journey of issue 4, end to end and by keyboard only, with axe on every page met:
a person finds a structure near a commune and asks to be contacted (consent, form, follow-up link); a conseiller
of that structure logs in, opens the referral and accepts it with an appointment; the person sees the appointment
on the follow-up page and withdraws consent, which erases their data."""

from __future__ import annotations

import datetime as dt

import pytest

from spro.accounts.models import StructureRole
from spro.audit.models import AuditEvent
from spro.referrals.models import Referral, Status
from tests.accounts.factories import PASSWORD, MembershipFactory
from tests.browser.harness import axe_violations, format_violations
from tests.browser.test_search_journey import tab_to

from .conftest import import_file, structure

pytestmark = pytest.mark.browser


def test_find_ask_accept_then_withdraw_by_keyboard(page, live_server, geo, write_document):
    report = import_file(
        write_document(
            [
                structure("cio-rennes", nom="CIO de Rennes", courriel="cio-rennes@example.org"),
                structure("ml-rennes", nom="Mission locale de Rennes", typologie="ML"),
            ]
        )
    )
    assert report.status == "success", report.error
    from spro.directory.models import Structure

    cio = Structure.objects.get(di_id="test--cio-rennes")
    MembershipFactory(structure=cio, role=StructureRole.CONSEILLER, user__email="conseillere@example.org")
    problems: list[str] = []

    def check_axe() -> None:
        violations = axe_violations(page)
        if violations:
            problems.append(format_violations(violations, page.url))

    def follow(predicate: str, what: str) -> None:
        tab_to(page, predicate, what)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        check_axe()

    # 1. The person finds the CIO near Rennes and asks to be contacted.
    page.goto(live_server.url + "/structures")
    check_axe()
    tab_to(page, "el.id === 'commune'", "the commune field")
    page.keyboard.type("Rennes")
    page.keyboard.press("Tab")
    page.keyboard.type("Choisir")  # « Je cherche de l’aide pour… » Choisir une orientation, des études → CIO
    assert page.locator("#aide").input_value() == "orientation"
    follow("el.tagName === 'BUTTON' && el.textContent.trim() === 'Chercher'", "the search button")
    assert page.locator("ol.results h3").all_inner_texts() == ["CIO de Rennes"]
    follow("el.getAttribute('href') === '/structures/test--cio-rennes'", "the result")
    follow("el.textContent.trim() === 'Être contacté par cette structure'", "the contact link")
    assert "CIO de Rennes" in page.locator("main").inner_text()  # the consent screen names the recipient
    follow("el.tagName === 'BUTTON' && el.textContent.includes('J’accepte')", "the consent button")
    tab_to(page, "el.id === 'id_first_name'", "the first-name field")
    page.keyboard.type("Camille")
    tab_to(page, "el.id === 'id_contact_value'", "the contact field")
    page.keyboard.type("camille@example.org")
    follow("el.tagName === 'BUTTON' && el.textContent.includes('Envoyer')", "the send button")
    assert "Votre demande a bien été envoyée" in page.content()
    link = page.locator("#lien-suivi").inner_text()
    referral = Referral.objects.get()
    assert (referral.structure, referral.status, referral.first_name) == (cio, Status.NOUVELLE, "Camille")

    # 2. The conseillère logs in, opens it (an audited read) and accepts it with an appointment.
    page.goto(live_server.url + "/pro/orientations")
    assert "/pro/connexion" in page.url
    check_axe()
    tab_to(page, "el.id === 'id_username'", "the e-mail field")
    page.keyboard.type("conseillere@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/pro/orientations")
    check_axe()
    follow("el.textContent.startsWith('Demande du ')", "the referral in the list")
    assert "camille@example.org" in page.locator("main").inner_text()
    assert AuditEvent.objects.count() >= 1  # reading the person's data was logged
    # Day = month: typed the same whether Chromium orders the date field jj/mm/aaaa or mm/dd/yyyy.
    day = dt.date(dt.date.today().year + 1, 3, 3)
    tab_to(page, "el.id === 'id_accepter-date'", "the appointment date")
    page.keyboard.type(day.strftime("%d%m%Y"))
    assert page.locator("#id_accepter-date").input_value() == day.isoformat()
    tab_to(page, "el.id === 'id_accepter-heure'", "the appointment time")
    page.keyboard.type("1030")
    if page.locator("#id_accepter-heure").input_value() != "10:30":  # a 12-hour field waits for AM/PM
        page.keyboard.type("A")
    assert page.locator("#id_accepter-heure").input_value() == "10:30"
    tab_to(page, "el.id === 'id_accepter-lieu'", "the place field")
    page.keyboard.type("CIO de Rennes, 1 quai Dujardin")
    follow("el.tagName === 'BUTTON' && el.textContent.includes('Accepter et proposer')", "the accept button")
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTEE
    assert referral.appointment_at.date() == day

    # 3. The person, from the follow-up link, sees the appointment and withdraws consent.
    page.goto(link)
    check_axe()
    assert "Acceptée" in page.locator("main").inner_text()
    assert "Rendez-vous proposé" in page.locator("main").inner_text()
    follow("el.textContent.trim() === 'Retirer ma demande'", "the withdraw link")
    follow("el.tagName === 'BUTTON' && el.textContent.includes('Oui, retirer')", "the confirm button")
    assert "Votre demande a été retirée" in page.content()
    referral.refresh_from_db()
    assert referral.status == Status.RETIREE and referral.first_name == "" and referral.contact_value == ""

    assert not problems, "\n\n".join(problems)
