"""« Mon parcours » by keyboard only (Tab, typing, Enter, Space), axe (WCAG 2.1 A/AA) on every page met:

a first answer → « Garder mon parcours » → the private page → a step and an action with an appointment added →
the appointments downloaded as ICS (parsed back) → shared with a structure, then the sharing withdrawn; the
pathway page at 320 px has no sideways scroll.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest

from tests.answer.support import make_communes
from tests.browser.harness import KeyboardWalk, axe_violations, format_violations
from tests.browser.test_reflow import overflow
from tests.referrals.conftest import make_structure

pytestmark = [pytest.mark.browser]

DAY = dt.date(2027, 3, 3)  # day = month: typed the same whatever the order of the date field


def test_keep_a_pathway_from_a_first_answer_by_keyboard(browser_context_factory, live_server, settings):
    settings.SPRO_PATHWAY_RATE_LIMIT = ""
    make_communes()
    structure = make_structure(nom="CEP de Bretagne", courriel="cep@example.org", typologie="CEP")
    page = browser_context_factory().new_page()
    walk = KeyboardWalk(page, live_server.url)

    # 1. A first answer.
    page.goto(live_server.url + "/question")
    walk.axe()
    walk.fill(page.get_by_label("Votre question"), "Je voudrais reprendre une formation", "the question")
    walk.fill(page.get_by_label("Votre commune (facultatif)"), "Rennes", "the commune")
    walk.press()
    assert "/question/reponse" in page.url

    # 2. « Garder mon parcours » on the answer.
    walk.tab_to(page.locator("#garder-parcours button"), "Garder mon parcours")
    walk.press()
    assert "/parcours/" in page.url and page.locator("#parcours-cree").count() == 1
    pathway_url = page.url.split("?")[0]

    # 3. A step of one's own, then an action with an appointment.
    walk.fill(page.locator("#etape-libelle"), "Trouver un stage", "the step's label")
    walk.press()
    assert "Trouver un stage" in page.locator("#etapes").inner_text()
    walk.fill(page.locator("#action-libelle"), "Rendez-vous au centre de formation", "the action's label")
    walk.tab_to(page.locator("#action-rdv-jour"), "the appointment's day")
    page.keyboard.type(DAY.strftime("%d%m%Y"))
    assert page.locator("#action-rdv-jour").input_value() == DAY.isoformat()
    walk.tab_to(page.locator("#action-rdv-heure"), "the appointment's time")
    page.keyboard.type("1400")
    if page.locator("#action-rdv-heure").input_value() != "14:00":  # a 12-hour field waits for AM/PM
        page.keyboard.type("P")
    assert page.locator("#action-rdv-heure").input_value() == "14:00"
    walk.tab_to(page.get_by_role("button", name="Ajouter l’action"), "Ajouter l’action")
    walk.press()
    steps = page.locator("#etapes").inner_text()
    assert "Rendez-vous au centre de formation" in steps and "3 mars 2027" in steps

    # 4. The appointments as ICS, downloaded by keyboard and read back.
    walk.tab_to(page.locator("#telecharger-ics"), "the ICS link")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    events = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Rendez-vous au centre de formation"]

    # 5. Shared with a structure, then withdrawn.
    walk.tab_to(page.locator("#lien-partager"), "Partager mon parcours")
    walk.press()
    walk.fill(page.locator("#q"), "CEP", "the structure search")
    walk.press()
    walk.tab_to(page.get_by_label("CEP de Bretagne"), "the structure")
    page.keyboard.press("Space")
    walk.tab_to(page.locator("#consentement"), "the consent box")
    page.keyboard.press("Space")
    walk.tab_to(page.get_by_role("button", name="Partager mon parcours"), "Partager")
    walk.press()
    assert "CEP de Bretagne" in page.locator("#partages").inner_text()
    assert structure.pathway_shares.filter(withdrawn_at__isnull=True).count() == 1
    walk.tab_to(
        page.get_by_role("button", name="Retirer le partage avec CEP de Bretagne"), "Retirer le partage"
    )
    walk.press()
    assert "Partage retiré" in page.locator("#enregistre").inner_text()
    assert structure.pathway_shares.filter(withdrawn_at__isnull=True).count() == 0

    # 6. The delete confirmation, then the pathway page at 320 px.
    page.goto(pathway_url + "/supprimer")
    walk.axe()
    small = browser_context_factory(viewport={"width": 320, "height": 640}).new_page()
    small.goto(pathway_url)
    too_wide = overflow(small)
    assert not too_wide, too_wide
    violations = axe_violations(small)
    assert not violations, format_violations(violations, small.url)
    assert not walk.problems, "\n\n".join(walk.problems)


def test_the_conseillers_pages_by_keyboard(browser_context_factory, live_server, settings):
    """A conseillère of the shared structure reads the pathway (axe 0), proposes a step by keyboard; the list too."""
    from django.test import Client

    from spro.pathways import services
    from spro.pathways.models import Objective
    from tests.referrals.conftest import make_user

    structure = make_structure(nom="CEP de Bretagne", courriel="cep@example.org", typologie="CEP")
    user = make_user("conseillere", structure)
    pathway, _ = services.create_from_explorer(
        rome_code="M1805", rome_label="Études et développement informatique"
    )
    services.share(pathway, structure, parts=["objectifs", "actions", "rendez-vous", "journal"], days=90)
    client = Client()
    client.force_login(user)
    context = browser_context_factory()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    walk = KeyboardWalk(page, live_server.url)
    page.goto(live_server.url + "/pro/parcours")
    walk.axe()
    walk.tab_to(page.get_by_role("link", name="Études et développement informatique"), "the shared pathway")
    walk.press()
    assert "Trouver une formation" in page.locator("#etapes").inner_text()
    walk.fill(page.locator("#proposer-etape-libelle"), "Préparer un entretien", "the proposed step's label")
    walk.tab_to(page.get_by_role("button", name="Proposer l’étape"), "Proposer l’étape")
    walk.press()
    assert "Proposition envoyée" in page.get_by_role("main").inner_text()
    assert Objective.objects.filter(label="Préparer un entretien", proposal_state="proposed").count() == 1
    assert not walk.problems, "\n\n".join(walk.problems)
