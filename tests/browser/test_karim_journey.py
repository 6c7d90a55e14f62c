"""Issue 16 « Done when »: Karim's journey by keyboard only (Tab, typing, Space, Enter), axe (WCAG 2.1 A/AA) on
every page met.

Karim is employed and wants to change career. He asks his first question (situation: salarié, Rennes) and is sent
to the CEP with the reason; he keeps his pathway from the answer and shares it with the CEP operator; the
conseillère, a member of that structure, proposes two steps and an appointment; Karim accepts one step and the
appointment, declines the other step, downloads the appointment as ICS (read back), and later withdraws the
sharing. A conseiller of another structure never sees the pathway (404, and not in their list); after the
withdrawal the conseillère does not see it either.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import icalendar
import pytest

from tests.answer.support import make_communes
from tests.browser.harness import KeyboardWalk
from tests.referrals.conftest import make_structure, make_user

pytestmark = [pytest.mark.browser]

DAY = dt.date(2027, 4, 4)  # day = month: typed the same whatever the order of the date field


def logged_in(browser_context_factory, live_server, user) -> Any:
    """A browser page with `user`'s session (the login page itself is tested elsewhere)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = browser_context_factory()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context.new_page()


def test_karim_keeps_shares_and_follows_his_pathway_with_the_cep(
    browser_context_factory, live_server, settings
):
    from spro.pathways.models import Action, Objective, Pathway
    from spro.referentials.geo.models import Commune

    settings.SPRO_PATHWAY_RATE_LIMIT = ""
    make_communes()
    rennes = Commune.objects.get(code_insee="35238")
    cep = make_structure(
        nom="CEP des actifs de Rennes",
        courriel="cep@example.org",
        typologie="CEP",
        commune=rennes,
        commune_nom="Rennes",
        latitude=48.1110,
        longitude=-1.6790,
    )
    conseillere = make_user("conseillere-cep", cep)
    other = make_structure(nom="Mission locale de Brest", courriel="ml-brest@example.org", typologie="ML")
    autre_conseiller = make_user("conseiller-ml", other)

    karim = browser_context_factory().new_page()
    walk = KeyboardWalk(karim, live_server.url)

    # 1. His first answer: employed, wants to change career, in Rennes → the CEP, with the reason.
    karim.goto(live_server.url + "/question")
    walk.axe()
    walk.fill(
        karim.get_by_label("Votre question"),
        "Je travaille dans un entrepôt et je voudrais changer de métier",
        "the question",
    )
    walk.tab_to(karim.get_by_label("Votre situation (facultatif)"), "the situation")
    karim.keyboard.type("Sal")
    assert karim.get_by_label("Votre situation (facultatif)").input_value() == "salarie"
    walk.fill(karim.get_by_label("Votre commune (facultatif)"), "Rennes", "the commune")
    walk.press()
    assert "/question/reponse" in karim.url
    answer = karim.get_by_role("main").inner_text()
    assert "conseil en évolution professionnelle (CEP)" in answer and "employeur" in answer
    assert "CEP des actifs de Rennes" in answer

    # 2. He keeps his pathway from the answer.
    walk.tab_to(karim.locator("#garder-parcours button"), "Garder mon parcours")
    walk.press()
    assert "/parcours/" in karim.url and karim.locator("#parcours-cree").count() == 1
    pathway_url = karim.url.split("?")[0]
    pathway = Pathway.objects.get()

    # 3. He shares it with the CEP operator.
    walk.tab_to(karim.locator("#lien-partager"), "Partager mon parcours")
    walk.press()
    walk.fill(karim.locator("#q"), "CEP", "the structure search")
    walk.press()
    walk.tab_to(karim.get_by_label("CEP des actifs de Rennes (Rennes)"), "the CEP operator")
    karim.keyboard.press("Space")
    walk.tab_to(karim.locator("#consentement"), "the consent box")
    karim.keyboard.press("Space")
    walk.tab_to(karim.get_by_role("button", name="Partager mon parcours"), "Partager")
    walk.press()
    assert "CEP des actifs de Rennes" in karim.locator("#partages").inner_text()

    # 4. A conseiller of another structure never sees it.
    outsider = logged_in(browser_context_factory, live_server, autre_conseiller)
    listing = outsider.goto(live_server.url + "/pro/parcours")
    assert listing is not None and listing.status == 200
    assert pathway.goal_label not in outsider.get_by_role("main").inner_text()
    assert str(pathway.public_id) not in outsider.content()
    denied = outsider.goto(f"{live_server.url}/pro/parcours/{pathway.public_id}")
    assert denied is not None and denied.status == 404

    # 5. The conseillère of the CEP operator proposes two steps and an appointment.
    pro = logged_in(browser_context_factory, live_server, conseillere)
    pro_walk = KeyboardWalk(pro, live_server.url)
    pro.goto(live_server.url + "/pro/parcours")
    pro_walk.axe()
    pro_walk.tab_to(pro.locator(f'a[href="/pro/parcours/{pathway.public_id}"]'), "the shared pathway")
    pro_walk.press()
    for label in ("Faire le point sur mes compétences", "Découvrir le métier de technicien de maintenance"):
        pro_walk.fill(pro.locator("#proposer-etape-libelle"), label, "the proposed step's label")
        pro_walk.tab_to(pro.get_by_role("button", name="Proposer l’étape"), "Proposer l’étape")
        pro_walk.press()
        assert "Proposition envoyée" in pro.get_by_role("main").inner_text()
    pro_walk.fill(pro.locator("#proposer-rdv-libelle"), "Entretien au CEP", "the appointment's subject")
    pro_walk.tab_to(pro.locator("#proposer-rdv-jour"), "the appointment's day")
    pro.keyboard.type(DAY.strftime("%d%m%Y"))
    assert pro.locator("#proposer-rdv-jour").input_value() == DAY.isoformat()
    pro_walk.tab_to(pro.locator("#proposer-rdv-heure"), "the appointment's time")
    pro.keyboard.type("1000")
    if pro.locator("#proposer-rdv-heure").input_value() != "10:00":  # a 12-hour field waits for AM/PM
        pro.keyboard.type("A")
    assert pro.locator("#proposer-rdv-heure").input_value() == "10:00"
    pro_walk.tab_to(pro.get_by_role("button", name="Proposer le rendez-vous"), "Proposer le rendez-vous")
    pro_walk.press()
    assert Objective.objects.filter(focus__pathway=pathway, proposal_state="proposed").count() == 2
    assert Action.objects.filter(objective__focus__pathway=pathway, proposal_state="proposed").count() == 1

    # 6. Karim accepts one step and the appointment, declines the other step.
    karim.goto(pathway_url)
    walk.axe()
    for name in (
        "Accepter : Faire le point sur mes compétences",
        "Refuser : Découvrir le métier de technicien de maintenance",
        "Accepter : Entretien au CEP",
    ):
        walk.tab_to(karim.get_by_role("button", name=name), name)
        walk.press()
    states = dict(Objective.objects.filter(focus__pathway=pathway).values_list("label", "proposal_state"))
    assert states["Faire le point sur mes compétences"] == "accepted"
    assert states["Découvrir le métier de technicien de maintenance"] == "declined"
    assert Action.objects.get(label="Entretien au CEP").proposal_state == "accepted"

    # 7. He adds the appointment to his calendar (ICS, read back).
    walk.tab_to(karim.locator("#telecharger-ics"), "the ICS link")
    with karim.expect_download() as download:
        karim.keyboard.press("Enter")
    events = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Entretien au CEP"]
    assert events[0].decoded("dtstart").date() == DAY

    # 8. Later he withdraws the sharing: the conseillère no longer sees the pathway.
    walk.tab_to(
        karim.get_by_role("button", name="Retirer le partage avec CEP des actifs de Rennes"),
        "Retirer le partage",
    )
    walk.press()
    assert "Partage retiré" in karim.locator("#enregistre").inner_text()
    gone = pro.goto(f"{live_server.url}/pro/parcours/{pathway.public_id}")
    assert gone is not None and gone.status == 404

    problems = walk.problems + pro_walk.problems
    assert not problems, "\n\n".join(problems)


def test_the_cep_pages_by_keyboard(browser_context_factory, live_server):
    """The explorer's way to the CEP operator (commune typed, answer read) and the Region's coordination counts
    (period typed, CSV link reached): axe 0 on each page, the error page too."""
    from spro.referentials.geo.models import Commune
    from tests.accompaniment.test_cep_stats import make_cep

    make_communes()
    rennes = Commune.objects.get(code_insee="35238")
    cep = make_structure(
        nom="CEP des actifs de Rennes",
        courriel="cep@example.org",
        typologie="CEP",
        commune=rennes,
        commune_nom="Rennes",
        latitude=48.1110,
        longitude=-1.6790,
    )
    for n in range(7):
        make_cep(cep, "niveau-2" if n % 2 else "niveau-1", "formation-engagee" if n < 3 else "")

    page = browser_context_factory().new_page()
    walk = KeyboardWalk(page, live_server.url)
    page.goto(live_server.url + "/conseil-en-evolution-professionnelle")
    walk.axe()
    walk.fill(page.get_by_label("Votre commune"), "Zzzyxw", "the commune")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    walk.axe()  # the 400 page with its error
    assert page.locator(".field__error").count() == 1
    page.get_by_label("Votre commune").fill("")
    walk.fill(page.get_by_label("Votre commune"), "Rennes", "the commune")
    walk.press()
    main = page.get_by_role("main").inner_text()
    assert "Pourquoi ce conseil" in main and "CEP des actifs de Rennes" in main

    pilot = make_user("pilote-region")
    pilot.is_superuser = True
    pilot.save()
    pro = logged_in(browser_context_factory, live_server, pilot)
    pro_walk = KeyboardWalk(pro, live_server.url)
    pro.goto(live_server.url + "/pro/cep/coordination")
    pro_walk.axe()
    table = pro.get_by_role("table").inner_text()
    assert "CEP des actifs de Rennes" in table and "< 5" in table
    pro_walk.tab_to(pro.get_by_role("button", name="Afficher la période"), "Afficher la période")
    pro_walk.press()
    pro_walk.tab_to(pro.get_by_role("link", name="Télécharger le tableau"), "the CSV link")
    with pro.expect_download() as download:
        pro.keyboard.press("Enter")
    assert "CEP des actifs de Rennes" in Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert not walk.problems + pro_walk.problems, "\n\n".join(walk.problems + pro_walk.problems)
