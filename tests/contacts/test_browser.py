"""A conseiller logs in and records a first contact by keyboard only; axe finds nothing on any page met."""

from __future__ import annotations

import pytest

from spro.contacts.models import FirstContact
from tests.accounts.factories import PASSWORD, build_network
from tests.browser.harness import axe_violations, format_violations
from tests.browser.test_search_journey import tab_to

pytestmark = pytest.mark.browser


def test_a_conseiller_logs_in_and_records_a_first_contact_by_keyboard(page, live_server):
    network = build_network()
    reports: list[str] = []

    def check_axe() -> None:
        violations = axe_violations(page)
        if violations:
            reports.append(format_violations(violations, page.url))

    page.goto(live_server.url + "/pro/")
    assert page.url.startswith(live_server.url + "/pro/connexion?next=")
    check_axe()
    tab_to(page, "el.id === 'id_username'", "the e-mail field")
    page.keyboard.type("conseiller.a@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_server.url + "/pro/"
    assert "Mission locale du Pays de Cornouaille" in page.locator("main").inner_text()
    check_axe()

    tab_to(page, "el.textContent.startsWith('Enregistrer un premier contact')", "the record link")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.startswith(live_server.url + "/pro/contacts/nouveau")
    check_axe()

    # An empty submission first: the error summary is announced and linked to the fields.
    tab_to(
        page, "el.type === 'submit' && el.textContent.includes('Enregistrer le contact')", "the submit button"
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#erreurs[role=alert]").is_visible()
    check_axe()

    tab_to(page, "el.name === 'channel'", "the channel radios")
    page.keyboard.press("ArrowDown")  # Accueil sur place → Téléphone
    tab_to(page, "el.name === 'age_band'", "the age band radios")
    page.keyboard.press("Space")
    tab_to(page, "el.name === 'statut'", "the statut radios")
    page.keyboard.press("ArrowDown")
    tab_to(page, "el.id === 'id_besoins_1'", "the second besoin")
    page.keyboard.press("Space")
    tab_to(
        page, "el.type === 'submit' && el.textContent.includes('Enregistrer le contact')", "the submit button"
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Premier contact enregistré" in page.locator("main").inner_text()
    check_axe()

    contact = FirstContact.objects.get()
    assert contact.structure == network["a"]
    assert (contact.channel, contact.age_band, contact.statut) == ("telephone", "moins-16", "lyceen")
    assert contact.besoins == ["choisir-formation"]

    page.goto(live_server.url + "/pro/contacts")
    assert "Choisir une formation" in page.locator("table").inner_text()
    check_axe()
    assert not reports, "\n\n".join(reports)


def test_invitation_statistics_and_logout_pages_have_no_axe_violations(browser_context_factory, live_server):
    from django.core import mail

    network = build_network()
    reports: list[str] = []

    def login(page, email: str) -> None:
        page.goto(live_server.url + "/pro/connexion")
        page.fill("#id_username", email)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("main button[type=submit]")

    def visit(page, path: str) -> None:
        page.goto(live_server.url + path)
        violations = axe_violations(page)
        if violations:
            reports.append(format_violations(violations, page.url))

    admin = browser_context_factory().new_page()
    login(admin, "admin.a@example.org")
    visit(admin, f"/pro/structures/{network['a'].pk}/inviter")
    admin.fill("#id_email", "pas-une-adresse")
    with admin.expect_navigation():
        admin.click("main button[type=submit]")
    assert admin.locator("#erreurs").is_visible()
    reports.extend(format_violations(v, admin.url) for v in [axe_violations(admin)] if v)
    admin.fill("#id_email", "nouvelle@example.org")
    with admin.expect_navigation():
        admin.click("main button[type=submit]")
    assert "Invitation envoyée" in admin.locator("main").inner_text()
    # The structure's fiche, with an error then saved and confirmed (spro.directory.editing).
    visit(admin, f"/pro/structures/{network['a'].pk}/fiche")
    admin.fill("#id_horaires_accueil", "le lundi")
    with admin.expect_navigation():
        admin.click("main button[type=submit]")
    assert admin.locator("#erreurs").is_visible()
    reports.extend(format_violations(v, admin.url) for v in [axe_violations(admin)] if v)
    admin.fill("#id_horaires_accueil", "Mo-Fr 09:00-17:00")
    admin.check("#id_verifie")
    with admin.expect_navigation():
        admin.click("main button[type=submit]")
    assert "Fiche mise à jour" in admin.locator("main").inner_text()
    reports.extend(format_violations(v, admin.url) for v in [axe_violations(admin)] if v)
    visit(admin, "/pro/deconnexion")

    link = next(line for line in mail.outbox[-1].body.splitlines() if "/pro/invitation/" in line)
    invitee = browser_context_factory().new_page()
    visit(invitee, link.strip().replace("http://testserver", "").replace(live_server.url, ""))
    assert "nouvelle@example.org" in invitee.locator("main").inner_text()

    pilot = browser_context_factory().new_page()
    login(pilot, "region@example.org")
    visit(pilot, "/pro/")
    visit(pilot, "/pro/contacts/statistiques")
    assert pilot.locator("table").count() == 5
    assert not reports, "\n\n".join(reports)
