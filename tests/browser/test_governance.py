"""Issue 18, « Done when » (conventions and network part), by keyboard with axe on every page:

* the Region's SPRO lead records the framework convention (dates and parties) and an avenant, and sees the computed
  periods, renewal and end;
* a structure admin signs the network's charter for their structure (confirmation box, keyboard only);
* /reseau shows the structure as a member with the version it signed, also at 320 px without JavaScript.
"""

from __future__ import annotations

import datetime as dt

import pytest

from spro.governance import services
from spro.governance.models import Amendment, CharterSignature, Convention, NetworkMember
from tests.accounts.factories import PASSWORD, build_network
from tests.browser.harness import axe_violations, format_violations
from tests.browser.test_search_journey import tab_to

pytestmark = pytest.mark.browser

SMALL_NO_JS = {"viewport": {"width": 320, "height": 640}, "java_script_enabled": False}


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.SPRO_REGION_CODE = "53"
    settings.MEDIA_ROOT = str(tmp_path / "media")


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, format_violations(violations, page.url)


def press_enter_and_wait(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def log_in(page, base: str, user) -> None:
    page.goto(f"{base}/pro/connexion")
    tab_to(page, "el.id === 'id_username'", "the user name field")
    page.keyboard.type(user.username)
    tab_to(page, "el.id === 'id_password'", "the password field")
    page.keyboard.type(PASSWORD)
    press_enter_and_wait(page)
    assert "/pro/connexion" not in page.url, page.content()[:2000]


def type_into(page, field_id: str, text: str) -> None:
    tab_to(page, f"el.id === {field_id!r}", field_id)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def button(text: str) -> str:
    return f"el.tagName === 'BUTTON' && el.textContent.includes({text!r})"


def test_the_region_records_the_convention_and_an_avenant_and_a_structure_signs_the_charter(
    browser_context_factory, live_server
):
    base = live_server.url
    network = build_network()
    users = network["users"]
    member = NetworkMember.objects.create(
        structure=network["a"], network="ML", started_on=dt.date(2025, 1, 1)
    )
    services.publish_charter(users["pilote_region"], "Nous orientons toute personne, sans discrimination.")

    # The Region's SPRO lead records the framework convention.
    lead = browser_context_factory().new_page()
    log_in(lead, base, users["pilote_region"])
    lead.goto(f"{base}/pro/conventions")
    assert_accessible(lead)
    tab_to(lead, "el.textContent.trim() === 'Enregistrer une convention'", "the new convention link")
    press_enter_and_wait(lead)
    assert_accessible(lead)
    type_into(lead, "id_title", "Convention cadre du SPRO en Bretagne")
    type_into(lead, "id_signed_on", "01/03/2025")
    type_into(lead, "id_effective_on", "15/03/2025")
    type_into(lead, "id_cprdfop_end", "14/03/2027")
    tab_to(lead, button("Enregistrer la convention"), "the save button")
    press_enter_and_wait(lead)
    convention = Convention.objects.get()
    assert lead.url.endswith(f"/pro/conventions/{convention.pk}"), lead.url
    text = lead.locator("main").inner_text()
    assert "La convention est enregistrée." in text
    assert "Président·e du conseil régional" in text and "Préfet·e de région" in text
    assert "14/03/2027 (fin du CPRDFOP)" in text
    assert_accessible(lead)

    # ... then an avenant (its number is proposed).
    type_into(lead, "id_signed_on", "01/06/2025")
    type_into(lead, "id_subject", "Ajout des têtes de réseau de l’insertion")
    tab_to(lead, button("Enregistrer l’avenant"), "the avenant button")
    press_enter_and_wait(lead)
    assert "L’avenant n° 1 est enregistré." in lead.locator("main").inner_text()
    assert Amendment.objects.get().number == 1
    assert_accessible(lead)

    # A form error is announced and linked to its field.
    type_into(lead, "id_sent_on", "31/02/2026")
    type_into(lead, "id_sent_by", "État")
    tab_to(lead, button("Enregistrer la dénonciation"), "the notice button")
    press_enter_and_wait(lead)
    assert "Saisissez une date qui existe" in lead.locator(".error-summary").inner_text()
    assert lead.locator("#id_sent_on").get_attribute("aria-invalid") == "true"
    assert_accessible(lead)

    # A structure admin signs the charter for their structure.
    admin = browser_context_factory().new_page()
    log_in(admin, base, users["admin_a"])
    admin.goto(f"{base}/pro/reseau/charte")
    assert_accessible(admin)
    tab_to(admin, "el.id === 'id_confirm'", "the confirmation box")
    admin.keyboard.press("Space")
    tab_to(admin, button("Signer la charte"), "the sign button")
    press_enter_and_wait(admin)
    assert "La charte (version 1) est signée" in admin.locator("main").inner_text()
    assert CharterSignature.objects.get().member == member
    assert_accessible(admin)

    # /reseau shows it, on a phone without JavaScript too (axe needs JavaScript: it runs on the same page at 320 px
    # with JavaScript on).
    phone = browser_context_factory(**SMALL_NO_JS).new_page()
    phone.goto(f"{base}/reseau")
    text = phone.locator("main").inner_text()
    assert "Mission locale du Pays de Cornouaille" in text and "charte signée (version 1)" in text
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 320
    tab_to(phone, "el.id === 'id_territoire'", "the territory filter")
    phone.keyboard.press("ArrowDown")
    assert phone.evaluate("() => document.getElementById('id_territoire').value") == "29"
    tab_to(phone, button("Filtrer"), "the filter button")
    press_enter_and_wait(phone)
    assert "territoire=29" in phone.url
    assert "1 membre pour ces filtres" in phone.locator("main").inner_text()
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 320

    small = browser_context_factory(viewport={"width": 320, "height": 640}).new_page()
    small.goto(f"{base}/reseau")
    assert_accessible(small)
