"""Issue 18 by keyboard only (Tab, typing, Enter), axe (WCAG 2.1 A/AA) on every page met:

1. the Region's SPRO lead adds an axis to the action plan and records version 1;
2. the State's representative approves version 1, then downloads the plan's annex as PDF; the lead publishes it and
   a visitor reads it on the public page;
3. the lead records a CREFOP session with two decisions that become follow-up actions, listed in « Suivi des
   décisions ».
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from spro.accounts.models import TerritorialRole
from spro.actionplan.models import Approval, Body, BodyKind, Decision, FollowUp, PlanVersion
from tests.accounts.factories import PASSWORD, ScopeFactory, geography
from tests.actionplan.conftest import build_plan
from tests.browser.harness import KeyboardWalk

pytestmark = [pytest.mark.browser]

MAX_TABS = 200


class Walk(KeyboardWalk):
    max_tabs = MAX_TABS

    def date(self, locator: Any, day: dt.date) -> None:
        # Day = month: typed the same whether Chromium orders the field jj/mm/aaaa or mm/dd/yyyy.
        self.tab_to(locator, "a date field")
        self.page.keyboard.type(day.strftime("%d%m%Y"))
        assert locator.input_value() == day.isoformat()

    def time(self, locator: Any) -> None:
        self.tab_to(locator, "a time field")
        self.page.keyboard.type("1400")
        if locator.input_value() != "14:00":  # a 12-hour field waits for AM/PM
            self.page.keyboard.type("P")
        assert locator.input_value() == "14:00"

    def login(self, path: str, email: str) -> None:
        self.page.goto(self.base + path)
        assert "/pro/connexion" in self.page.url
        self.axe()
        self.fill(self.page.locator("#id_username"), email, "the e-mail field")
        self.fill(self.page.locator("#id_password"), PASSWORD, "the password field")
        self.press()
        assert self.page.url == self.base + path

    def click(self, name: str | re.Pattern, role: str = "link") -> None:
        self.tab_to(self.page.get_by_role(role, name=name, exact=isinstance(name, str)), str(name))
        self.press()


def test_the_plan_is_recorded_approved_downloaded_and_a_crefop_session_decides(
    browser_context_factory, live_server
):
    geo = geography()
    plan = build_plan(geo["bzh"])
    crefop = Body.objects.create(region=geo["bzh"], kind=BodyKind.CREFOP, name="CREFOP Bretagne")
    ScopeFactory(role=TerritorialRole.PILOTE_REGION, region=geo["bzh"], user__email="spro@region.example.org")
    ScopeFactory(
        role=TerritorialRole.PILOTE_ETAT, region=geo["bzh"], user__email="sgar@prefecture.example.org"
    )

    # 1. The Region's SPRO lead adds an axis and records version 1.
    lead = Walk(browser_context_factory().new_page(), live_server.url)
    lead.login("/pro/plan-action", "spro@region.example.org")
    lead.click(plan.title)
    lead.click("Ajouter un axe")
    lead.fill(lead.page.get_by_label(re.compile("^Numéro")), "2", "the number")
    lead.fill(
        lead.page.get_by_label(re.compile("^Intitulé")),
        "Accompagner les transitions professionnelles",
        "title",
    )
    lead.click("Ajouter", role="button")
    assert (
        "Axe 2 – Accompagner les transitions professionnelles" in lead.page.get_by_role("main").inner_text()
    )
    lead.click("Versions, approbations et téléchargements")
    lead.fill(
        lead.page.get_by_label("Note de version (facultative)"), "Version soumise au CREFOP", "the note"
    )
    lead.click("Enregistrer la version", role="button")
    version = PlanVersion.objects.get(plan=plan)
    assert version.number == 1 and len(version.snapshot["axes"]) == 2
    assert lead.page.get_by_role("heading", level=1).inner_text() == f"{plan.title} – version 1"

    # 2. The State's representative approves it and downloads the PDF annex.
    state = Walk(browser_context_factory(accept_downloads=True).new_page(), live_server.url)
    state.login(f"/pro/plan-action/versions/{version.pk}", "sgar@prefecture.example.org")
    assert state.page.get_by_label("Au nom de").input_value() == "etat:État"
    state.click("Approuver la version 1", role="button")
    approval = Approval.objects.get(version=version)
    assert (approval.party_label, approval.user.email) == ("État", "sgar@prefecture.example.org")
    assert "Aucune partie" not in state.page.get_by_role("main").inner_text()
    state.tab_to(state.page.get_by_role("link", name="Annexe au CPRDFOP (PDF)"), "the PDF link")
    with state.page.expect_download() as download_info:
        state.page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename == "plan-action-spro-53-v1-annexe.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # The lead publishes the approved version: the public page shows it, to anyone.
    lead.page.goto(f"{live_server.url}/pro/plan-action/versions/{version.pk}")
    lead.axe()
    lead.click("Publier la version 1", role="button")
    version.refresh_from_db()
    assert version.published_at is not None
    visitor = Walk(browser_context_factory().new_page(), live_server.url)
    visitor.page.goto(live_server.url + "/plan-action/53")
    visitor.axe()
    assert (
        visitor.page.get_by_role("heading", level=1).inner_text()
        == "Plan d’action partagé du SPRO – Bretagne"
    )
    assert "Accompagner les transitions professionnelles" in visitor.page.get_by_role("main").inner_text()

    # 3. A CREFOP session with two decisions that become follow-up actions.
    lead.page.goto(live_server.url + "/pro/instances")
    lead.axe()
    lead.click("CREFOP Bretagne")
    page = lead.page
    day = dt.date(dt.date.today().year + 1, 3, 3)
    lead.date(page.get_by_label("Date"), day)
    lead.time(page.get_by_label("Heure"))
    lead.fill(page.get_by_label("Lieu"), "Hôtel de Région, Rennes", "the place")
    lead.fill(page.get_by_label(re.compile("^Ordre du jour")), "Plan d’action partagé v1", "the agenda")
    lead.click("Enregistrer la séance", role="button")
    assert "Plan d’action partagé v1" in page.get_by_role("main").inner_text()
    for number, (text, follow_up, owner) in enumerate(
        (
            ("Le CREFOP rend un avis favorable sur le plan v1.", "Publier le plan v1", "Région Bretagne"),
            ("Former les conseillers du réseau avant l’été.", "Programmer deux sessions", "ARML Bretagne"),
        ),
        start=1,
    ):
        lead.fill(page.locator("#id_decision-text"), text, "the decision")
        lead.fill(page.locator("#id_decision-follow_up_title"), follow_up, "the follow-up")
        lead.fill(page.locator("#id_decision-owner"), owner, "the owner")
        lead.date(page.locator("#id_decision-due_date"), dt.date(day.year, 6, 6))
        lead.click("Enregistrer la décision", role="button")
        assert page.get_by_role("heading", name=f"Décision n° {number}").count() == 1
    assert Decision.objects.filter(session__body=crefop).count() == 2
    assert sorted(FollowUp.objects.values_list("title", flat=True)) == [
        "Programmer deux sessions",
        "Publier le plan v1",
    ]
    page.goto(live_server.url + "/pro/suivi-decisions")
    lead.axe()
    listed = page.get_by_role("main").inner_text()
    assert "Publier le plan v1" in listed and "Programmer deux sessions" in listed

    problems = lead.problems + state.problems + visitor.problems
    assert not problems, "\n\n".join(problems)
