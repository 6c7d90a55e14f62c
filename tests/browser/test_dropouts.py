"""The dropout chain by keyboard only, axe (WCAG 2.1 A/AA) 0 on every page met (issue 17): the PSAD coordinator
imports a list and assigns a young person; a CIO psychologist (member of the partner CIO) contacts them and records
a solution; the follow-up at 3 months appears in their « Suivis à faire »; a Mission locale of another zone sees
nothing of it (an empty list, the record 404)."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from typing import Any

import pytest

from spro.dropouts.reading import COLUMNS
from tests.browser.harness import KeyboardWalk
from tests.dropouts.conftest import zone_world  # noqa: F401 - the fixture (two zones, their structures, users)

pytestmark = [pytest.mark.browser]


def _login(browser_context_factory, live_server, user) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = browser_context_factory()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context.new_page()


def _list_file(path) -> None:
    today = date.today()
    values = {
        "nom": "Kerbrat",
        "prenom": "Noé",
        "date_naissance": (today.replace(year=today.year - 16) - timedelta(days=40)).isoformat(),
        "commune": "29232",
        "date_sortie": (today - timedelta(days=150)).isoformat(),
        "statut": "scolaire",
        "ine": "1234567890A",
        "telephone": "06 39 98 00 01",
        "courriel": "noe@example.org",
        "responsable_legal": "Anne Kerbrat",
        "uai": "0290044R",
        "formation": "Seconde générale",
    }
    other = {**values, "nom": "Le Gall", "prenom": "Maëlys", "ine": "", "date_naissance": "2004-03-02"}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(COLUMNS)
        for row in (values, other):
            writer.writerow([row[c] for c in COLUMNS])


def test_import_assign_contact_solution_follow_up_and_another_zone_sees_nothing(
    browser_context_factory,
    live_server,
    zone_world,  # noqa: F811 - the fixture imported above
):
    from spro.dropouts.models import FollowUp, YoungPerson

    users, structures = zone_world["users"], zone_world["structures"]
    upload = zone_world["tmp"] / "liste-2026-11.csv"
    _list_file(upload)

    # 1. The coordinator of Quimper imports the list and assigns the minor to the CIO, as « prioritaire ».
    page = _login(browser_context_factory, live_server, users["coordinateur_quimper"])
    walk = KeyboardWalk(page, live_server.url)
    page.goto(live_server.url + "/pro/decrochage")
    walk.axe()
    walk.tab_to(page.get_by_role("link", name="Importer une liste"), "the import link")
    walk.press()
    walk.tab_to(page.get_by_label("Fichier de la liste (CSV)"), "the file field")
    page.get_by_label("Fichier de la liste (CSV)").set_input_files(str(upload))  # a file dialog is not typed
    walk.tab_to(page.get_by_role("button", name="Importer la liste"), "the import button")
    walk.press()
    assert "2 jeunes créés" in page.get_by_role("main").inner_text()
    walk.tab_to(page.get_by_role("link", name="Voir la liste des jeunes"), "the list link")
    walk.press()
    walk.tab_to(page.get_by_role("link", name="Kerbrat Noé"), "the young person")
    walk.press()
    assert "Anne Kerbrat" in page.get_by_role("main").inner_text()
    walk.tab_to(page.get_by_label("Structure partenaire"), "the partner")
    page.get_by_label("Structure partenaire").select_option(str(structures["cio-quimper"].pk))
    walk.tab_to(page.get_by_role("button", name="Enregistrer l’affectation"), "the assign button")
    walk.press()
    assert "Rien n’a changé." in page.get_by_role("main").inner_text()  # the rules had chosen the CIO already
    person = YoungPerson.objects.get(ine_hash__isnull=False)
    assert person.partner_id == structures["cio-quimper"].pk and person.priority == "prioritaire"

    # 2. A psychologist of the CIO reaches the young person and records a solution started 100 days ago.
    page = _login(browser_context_factory, live_server, users["conseiller_cio_quimper"])
    walk = KeyboardWalk(page, live_server.url)
    page.goto(live_server.url + "/pro/decrochage")
    walk.axe()
    assert "Le Gall" not in page.get_by_role("main").inner_text()  # assigned to the Mission locale
    walk.tab_to(page.get_by_role("link", name="Kerbrat Noé"), "the young person")
    walk.press()
    walk.tab_to(page.get_by_label("Résultat"), "the contact's result")
    page.get_by_label("Résultat").select_option("joint")
    walk.tab_to(page.get_by_role("button", name="Enregistrer le contact"), "the contact button")
    walk.press()
    assert "Tentative de contact enregistrée." in page.get_by_role("main").inner_text()
    walk.tab_to(page.get_by_label("Type de solution"), "the solution type")
    page.get_by_label("Type de solution").select_option("apprentissage")
    start = page.get_by_label("Début de la solution")
    walk.tab_to(start, "the start date")
    page.keyboard.press("Control+A")
    page.keyboard.type((date.today() - timedelta(days=100)).strftime("%d/%m/%Y"))
    walk.fill(page.get_by_label("Lieu ou précision"), "CFA de Quimper", "the place")
    walk.tab_to(page.get_by_role("button", name="Enregistrer la solution"), "the solution button")
    walk.press()
    assert "les suivis à 3 et 6 mois sont prévus" in page.get_by_role("main").inner_text()

    # 3. The follow-up at 3 months is due: it is in their « Suivis à faire ».
    page.goto(live_server.url + "/pro/decrochage")
    walk.tab_to(page.get_by_role("link", name="Suivis à faire"), "the follow-ups link")
    walk.press()
    table = page.get_by_role("table").inner_text()
    assert "Kerbrat Noé" in table and "à 3 mois" in table
    assert FollowUp.objects.filter(solution__person=person, month=3, done_on__isnull=True).exists()

    # 4. A Mission locale of another zone sees nothing of it.
    page = _login(browser_context_factory, live_server, users["conseiller_ml_rennes"])
    walk = KeyboardWalk(page, live_server.url)
    page.goto(live_server.url + "/pro/decrochage")
    walk.axe()
    assert "Aucun jeune." in page.get_by_role("main").inner_text()
    page.goto(live_server.url + "/pro/decrochage/suivis")
    walk.axe()
    assert "Aucun suivi à faire." in page.get_by_role("main").inner_text()
    response = page.goto(f"{live_server.url}/pro/decrochage/jeunes/{person.pk}")
    assert response is not None and response.status == 404
    assert "Kerbrat" not in page.content()
    assert not walk.problems, "\n\n".join(walk.problems)
