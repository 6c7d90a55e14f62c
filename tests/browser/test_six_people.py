"""The six people of issue 12, replayed by keyboard only (Tab, Enter, Space), with axe (WCAG 2.1 A/AA) on every page
they meet, the maps included:

1. a pupil of 3e in Lorient who wants to work with animals is offered orientation first, near Lorient, on a map;
2. Karim, a cariste in Rennes who wants to retrain, gets the CEP and Transitions Pro, never « Cariste » as a target,
   and with a RQTH a closed Cap emploi with its closure dates;
3. a 24-year-old in Brest looking for an apprenticeship in web development finds Développeur web and formations near
   Brest;
4. someone typing a sentence in the search box is offered « Poser votre question » with the text carried over, and a
   plain search near Brest reaches a fiche métier;
5. someone asks to be contacted from their answer and gets the follow page;
6. the conseillère of that structure logs in, sees the new request, accepts it with an appointment, and opens the
   members page.

The data is the product's own (geography, ROME 4.0, the demo directory of Bretagne under data/). The live server
flushes the database after each test, so each test imports it again: two tests replaying three people each keep the
file around two minutes (an import and the answer's métier index cost about 20 s per test).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.management import call_command

from spro.accounts.models import StructureRole
from spro.directory.presenters import french_date
from spro.referrals.models import Referral, Status
from tests.accounts.factories import PASSWORD, MembershipFactory
from tests.browser.harness import axe_violations, format_violations, warm_answer_indexes
from tests.directory.test_map_browser import wait_for_map
from tests.search.pages.conftest import import_datasets

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MAX_TABS = 400
ANSWER_DATA = ("geo", "rome", "structures")
PUPIL = "je veux travailler avec les animaux… je suis en troisième à Lorient"
KARIM = "Karim, 42 ans, cariste à Rennes depuis 15 ans, j'ai mal au dos et je voudrais me reconvertir"
CARISTE = "N1101"  # ROME 4.0: Conduite d'engins de déplacement des charges (cariste)
MARKERS = "#carte .leaflet-marker-pane .leaflet-marker-icon"


class Journey:
    """One person's walk through the site by keyboard: every page met is checked by axe, reported at the end."""

    def __init__(self, page: Any, live_server: Any) -> None:
        self.page = page
        self.base = live_server.url
        self.problems: list[str] = []
        self.checked: set[str] = set()

    def check_axe(self) -> None:
        self.checked.add(self.page.url)
        violations = axe_violations(self.page)
        if violations:
            self.problems.append(format_violations(violations, self.page.url))

    def check_map_and_axe(self) -> int:
        """Wait for the map to be drawn (markers, offline basemap), then run axe on the page with it; the marker
        count."""
        wait_for_map(self.page)
        self.check_axe()
        return self.page.locator(MARKERS).count()

    def tab_to(self, locator: Any, what: str) -> None:
        """Press Tab until `locator` (one element, found by its role and name or its label) has the focus."""
        assert locator.count() == 1, f"{what}: {locator.count()} elements on {self.page.url}"
        handle = locator.element_handle()
        for _ in range(MAX_TABS):
            self.page.keyboard.press("Tab")
            if handle.evaluate("el => el === document.activeElement"):
                return
        raise AssertionError(f"Tab never reached {what} on {self.page.url}")

    def press(self, key: str = "Enter") -> Any:
        """Press a key that loads a page (an error status fails); the response."""
        with self.page.expect_navigation() as navigation:
            self.page.keyboard.press(key)
        response = navigation.value
        assert response is not None and response.status < 400, (self.page.url, response and response.status)
        return response

    def follow(self, locator: Any, what: str) -> Any:
        self.tab_to(locator, what)
        response = self.press()
        self.check_axe()
        return response

    def ask(self, text: str, *, commune: str, age: str = "", handicap: bool = False) -> None:
        """From the home page to the answer: « Poser une question », the form filled and sent by keyboard."""
        page = self.page
        page.goto(self.base + "/")
        if page.url not in self.checked:  # the same home page each time
            self.check_axe()
        self.follow(
            page.locator("#question").get_by_role("link", name="Poser une question"), "the question entry"
        )
        assert page.url.endswith("/question")
        self.tab_to(page.get_by_label("Votre question"), "the question field")
        page.keyboard.type(text)
        if age:
            self.tab_to(page.get_by_label("Votre âge (facultatif)"), "the age field")
            page.keyboard.type(age)
        self.tab_to(page.get_by_label("Votre commune (facultatif)"), "the commune field")
        page.keyboard.type(commune)
        if handicap:
            box = page.get_by_role("checkbox", name=re.compile("situation de handicap"))
            self.tab_to(box, "the handicap box")
            page.keyboard.press("Space")
            assert box.is_checked()
        self.tab_to(page.get_by_role("button", name="Obtenir ma réponse"), "the send button")
        self.press()
        assert page.get_by_role("heading", level=1).inner_text() == "Votre première réponse"
        assert text not in page.url

    def finish(self) -> None:
        assert not self.problems, "\n\n".join(self.problems)


def answer_facts(page: Any) -> dict[str, list[str]]:
    """What the answer page proposes, in its order (« Autres lieux (n) » opened, as a reader would)."""
    page.locator("details.answer__autres-lieux").evaluate_all("els => els.forEach(e => { e.open = true; })")
    return {
        "besoins": page.locator("#besoins li").evaluate_all("els => els.map(e => e.dataset.besoin)"),
        "typologies": page.locator("article[data-typologie]").evaluate_all(
            "els => els.map(e => e.dataset.typologie)"
        ),
        "structures": page.locator(".orientation__structures .structure-card__nom a").all_inner_texts(),
        "metiers": page.locator("#metiers a").evaluate_all("els => els.map(e => e.getAttribute('href'))"),
        "metier_labels": page.locator("#metiers a").all_inner_texts(),
    }


def formations_href(page: Any) -> str:
    """The answer's link to formations (« Chercher une formation », « Les formations pour devenir … »)."""
    return page.locator("main a[href^='/recherche?'][href*='type=formation']").first.get_attribute("href")


# --- The journeys, one function per person (each test imports the data once and replays several of them) --------


def pupil_in_lorient(journey: Journey) -> None:
    """1. A 15-year-old in 3e in Lorient: orientation first, near Lorient (56121), on a map."""
    page = journey.page
    journey.ask(PUPIL, commune="Lorient 56100")
    # The commune understood from « Lorient 56100 » is Lorient (56121), said on the page and used for the places.
    understood = page.locator("#commune-comprise").inner_text()
    assert "Lorient (56)" in understood and "56100" in understood, understood
    assert "commune=56121" in formations_href(page)
    facts = answer_facts(page)
    # Orientation first: discovering métiers, at the CIO / Info Jeunes; never job search, never France Travail.
    assert facts["besoins"][0] == "decouvrir-metiers", facts
    assert "recherche-emploi" not in facts["besoins"], facts
    assert facts["typologies"][0] == "CIO" and "PIJ_BIJ" in facts["typologies"][:3], facts
    assert not {"FT", "ML"} & set(facts["typologies"]), facts
    assert facts["structures"][:2] == ["CIO de Lorient", "Bureau Information Jeunesse de Lorient"], facts
    # « travailler avec les animaux » is a wish for a métier: métiers with animals to discover.
    assert any(re.search(r"animal|animaux|vétérinaire", label, re.I) for label in facts["metier_labels"]), (
        facts
    )
    # The map shows the places of the list, one marker each.
    assert journey.check_map_and_axe() == len(set(facts["structures"]))


def asks_to_be_contacted(journey: Journey, structure: Any) -> tuple[Referral, str]:
    """5. From the answer on the page to the referral form, sent, then the follow page; (referral, follow URL)."""
    page = journey.page
    restated = answer_facts(page)["besoins"]
    journey.follow(
        page.get_by_role("button", name=f"Être contacté·e par {structure.nom}"),
        "the structure's contact button",
    )
    assert page.get_by_role("heading", level=1).inner_text() == f"Être contacté par {structure.nom}"
    journey.follow(page.get_by_role("button", name=re.compile("^J’accepte")), "the consent button")
    checked = page.locator("input[name=besoins]:checked").evaluate_all("els => els.map(e => e.value)")
    assert restated and sorted(checked) == sorted(restated)  # the answer's needs arrive pre-checked
    journey.tab_to(page.locator("#id_first_name"), "the first-name field")
    page.keyboard.type("Lina")
    journey.tab_to(page.locator("#id_contact_value"), "the contact field")
    page.keyboard.type("lina@example.org")
    journey.follow(page.get_by_role("button", name="Envoyer ma demande"), "the send button")
    assert f"Votre demande a bien été envoyée à {structure.nom}" in page.get_by_role("main").inner_text()
    journey.follow(page.locator("#lien-suivi"), "the follow link")
    assert "/suivi/" in page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Suivi de votre demande"
    referral = Referral.objects.get()
    assert (referral.structure, referral.status, referral.first_name) == (structure, Status.NOUVELLE, "Lina")
    assert sorted(referral.besoins) == sorted(restated)
    return referral, page.url


def conseillere_accepts(journey: Journey, referral: Referral, email: str, colleague: str) -> None:
    """6. The structure's responsable logs in, sees the new request, accepts it with an appointment by keyboard,
    then opens the members page."""
    page, structure = journey.page, referral.structure
    page.goto(journey.base + "/pro/")
    assert "/pro/connexion" in page.url
    journey.check_axe()
    journey.tab_to(page.locator("#id_username"), "the e-mail field")
    page.keyboard.type(email)
    journey.tab_to(page.locator("#id_password"), "the password field")
    page.keyboard.type(PASSWORD)
    journey.press()
    assert page.url == journey.base + "/pro/"
    journey.check_axe()
    assert page.locator(f"#nouvelles-{structure.pk}").inner_text() == "1 nouvelle demande"
    journey.follow(
        page.get_by_role("link", name=f"Demandes de mise en relation – {structure.nom}"), "the requests link"
    )
    journey.follow(page.get_by_role("link", name=re.compile("^Demande du ")), "the request")
    assert referral.contact_value in page.get_by_role("main").inner_text()
    # Day = month: typed the same whether Chromium orders the date field jj/mm/aaaa or mm/dd/yyyy.
    day = dt.date(dt.date.today().year + 1, 3, 3)
    journey.tab_to(page.locator("#id_accepter-date"), "the appointment date")
    page.keyboard.type(day.strftime("%d%m%Y"))
    assert page.locator("#id_accepter-date").input_value() == day.isoformat()
    journey.tab_to(page.locator("#id_accepter-heure"), "the appointment time")
    page.keyboard.type("1400")
    if page.locator("#id_accepter-heure").input_value() != "14:00":  # a 12-hour field waits for AM/PM
        page.keyboard.type("P")
    assert page.locator("#id_accepter-heure").input_value() == "14:00"
    journey.tab_to(page.locator("#id_accepter-lieu"), "the place field")
    page.keyboard.type(structure.nom)
    journey.follow(
        page.get_by_role("button", name="Accepter et proposer ce rendez-vous"), "the accept button"
    )
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTEE and referral.appointment_at.date() == day

    # Back on the dashboard: no new request left; the members page of the structure.
    page.goto(journey.base + "/pro/")
    journey.check_axe()
    assert page.locator(f"#nouvelles-{structure.pk}").count() == 0
    journey.follow(
        page.get_by_role("link", name=f"Membres et invitations – {structure.nom}"), "the members page"
    )
    members = page.locator("section[aria-labelledby=titre-membres]").inner_text()
    assert email in members and colleague in members


def karim_retrains(journey: Journey, closure: dict[str, dt.date]) -> None:
    """2. Karim, 42, cariste in Rennes: the CEP and Transitions Pro, never « Cariste » as a target; with a RQTH,
    Cap emploi (closed: its dates) and an open one in the meantime."""
    page = journey.page
    journey.ask(KARIM, commune="Rennes")
    facts = answer_facts(page)
    main = page.get_by_role("main").inner_text()
    # The job he wants to leave is never offered as his target.
    assert f"/metiers/{CARISTE}" not in facts["metiers"], facts
    assert not any("cariste" in label.lower() for label in facts["metier_labels"]), facts
    assert "cariste" not in (formations_href(page) or "").lower()
    # Retraining: the CEP and the bilan de compétences explained, Transitions Pro and a CEP operator near Rennes.
    assert facts["besoins"][0] == "evolution-professionnelle", facts
    assert "conseil en évolution professionnelle (CEP)" in main
    assert "bilan de compétences" in main
    assert {"CEP", "TRANSITIONS_PRO"} <= set(facts["typologies"][:2]), facts
    assert "Transitions Pro Bretagne" in facts["structures"], facts
    assert any(name.startswith("Conseil en évolution professionnelle") for name in facts["structures"]), facts
    assert "CAP_EMPLOI" not in facts["typologies"], facts
    journey.check_map_and_axe()

    journey.ask(KARIM, commune="Rennes", handicap=True)
    facts = answer_facts(page)
    assert "CAP_EMPLOI" in facts["typologies"], facts
    cards = page.locator("article[data-typologie=CAP_EMPLOI] .structure-card")
    closed = cards.filter(has=page.get_by_role("link", name="Cap emploi Ille-et-Vilaine", exact=True))
    notice = closed.locator(".structure-card__fermeture").inner_text()
    assert "Fermé temporairement" in notice, notice
    assert french_date(closure["fin"]) in notice and str(closure["debut"].day) in notice, notice
    assert "Ouvert en attendant" in cards.nth(1).inner_text()
    journey.check_map_and_axe()


def apprentice_in_brest(journey: Journey) -> None:
    """3. A 24-year-old in Brest wanting an apprenticeship in web development: Développeur web, formations near
    Brest."""
    page = journey.page
    journey.ask("alternance en développement web", commune="Brest", age="24")
    facts = answer_facts(page)
    assert facts["besoins"][0] == "alternance", facts
    assert "/metiers/M1855" in facts["metiers"][:3], facts
    assert "Brest (29)" in page.locator("#commune-comprise").inner_text()
    formations = formations_href(page)
    assert "type=formation" in formations and "commune=29019" in formations and "rayon_km=" in formations
    assert "veloppeur" in formations  # the search starts from the métier found
    journey.check_map_and_axe()

    # The fiche métier Développeur web.
    link = page.locator("#metiers").get_by_role("link", name="Développeur / Développeuse web", exact=True)
    journey.follow(link, "the fiche M1855")
    assert page.url.endswith("/metiers/M1855")
    assert "Développeur" in page.get_by_role("heading", level=1).inner_text()

    # The answer's formations link: a search for formations near Brest, understood as such.
    response = page.goto(journey.base + formations)
    assert response.status == 200
    assert "Commune : Brest (29)" in page.get_by_role("main").inner_text()
    assert page.get_by_label("Commune").input_value().startswith("Brest")
    journey.check_axe()


def searcher(journey: Journey) -> None:
    """4. A sentence in the home search box offers « Poser votre question » with the text; « infirmier » near
    Brest works and leads to the fiche métier."""
    page = journey.page
    sentence = "je sais pas quoi faire apres la 3eme"
    page.goto(journey.base + "/")
    journey.check_axe()
    journey.tab_to(page.get_by_role("searchbox"), "the search box")
    page.keyboard.type(sentence)
    journey.press()
    journey.check_axe()
    journey.follow(page.get_by_role("link", name="Poser votre question"), "« Poser votre question »")
    assert page.url.startswith(journey.base + "/question")
    assert page.get_by_label("Votre question").input_value() == sentence  # the text carried over

    page.goto(journey.base + "/")
    journey.tab_to(page.get_by_role("searchbox"), "the search box")
    page.keyboard.type("infirmier")
    journey.press()
    journey.check_axe()
    assert page.get_by_role("link", name="Poser votre question").count() == 0  # search words are no question
    journey.tab_to(page.get_by_label("Commune"), "the commune filter")
    page.keyboard.type("Brest")
    response = journey.press()  # fails on a 400
    assert response.status == 200
    assert re.search(r"[?&]commune=Brest(&|$)", page.url), page.url
    assert "Commune : Brest (29)" in page.get_by_role("main").inner_text()
    journey.check_axe()
    # Métiers have no place (docs/search.md): when none is near, the page offers the results without the distance.
    wider = page.get_by_role("link", name=re.compile("sans limite de distance"))
    if wider.count():
        journey.follow(wider, "the results without the distance")
    results = page.locator("ol.results")
    journey.follow(results.get_by_role("link", name=re.compile("^Infirmier")).first, "the fiche Infirmier")
    assert page.url.endswith("/metiers/J1506"), page.url
    assert "Infirmier" in page.get_by_role("heading", level=1).inner_text()


def directory_maps(journey: Journey, structure: Any) -> None:
    """The structure's page with its map, reached from the follow page, and the directory's search with its map."""
    page = journey.page
    journey.tab_to(page.get_by_role("main").get_by_role("link", name=structure.nom, exact=True), "its page")
    journey.press()
    assert page.url.endswith(f"/structures/{structure.di_id}")
    assert page.get_by_role("heading", level=1).inner_text() == structure.nom
    assert journey.check_map_and_axe() == 1

    page.goto(journey.base + "/structures")
    journey.check_axe()
    journey.tab_to(page.get_by_label("Commune"), "the commune field")
    page.keyboard.type("Lorient 56100")
    journey.tab_to(
        page.get_by_label("Je cherche de l’aide pour…"), "the « Je cherche de l’aide pour… » select"
    )
    page.keyboard.type("Information j")  # Information jeunesse (logement, santé, loisirs, mobilité) → PIJ_BIJ
    assert page.get_by_label("Je cherche de l’aide pour…").input_value() == "information-jeunesse"
    journey.tab_to(page.get_by_role("button", name="Chercher", exact=True), "the search button")
    journey.press()
    assert page.get_by_role("heading", level=1).inner_text() == "Structures près de Lorient"
    results = page.locator("ol.results h3").all_inner_texts()
    assert results and results[0] == "Bureau Information Jeunesse de Lorient", results
    assert journey.check_map_and_axe() == len(results)


# --- The tests ------------------------------------------------------------------------------------------------------


def test_pupil_in_lorient_asks_to_be_contacted_and_the_conseillere_accepts(page, live_server, settings):
    """People 1, 5 and 6: the pupil's answer, the referral from it, the CIO's responsable; the directory's maps."""
    from spro.directory.models import Structure

    settings.SPRO_REFERRAL_RATE_LIMIT = ""
    import_datasets(ANSWER_DATA)
    warm_answer_indexes()
    cio = Structure.objects.get(di_id="spro-demo--cio-5318")
    MembershipFactory(
        structure=cio, role=StructureRole.ADMIN_STRUCTURE, user__email="responsable@example.org"
    )
    MembershipFactory(structure=cio, role=StructureRole.CONSEILLER, user__email="collegue@example.org")
    journey = Journey(page, live_server)

    pupil_in_lorient(journey)
    referral, follow_url = asks_to_be_contacted(journey, cio)
    conseillere_accepts(journey, referral, "responsable@example.org", "collegue@example.org")

    # The person sees the appointment on the follow page, and goes on to the CIO's page.
    page.goto(follow_url)
    journey.check_axe()
    assert "Rendez-vous proposé" in page.get_by_role("main").inner_text()
    directory_maps(journey, cio)
    journey.finish()


def test_karim_retrains_an_apprentice_finds_web_development_and_a_searcher_reaches_a_fiche(page, live_server):
    """People 2, 3 and 4, on the same data (one import: the whole file stays around two minutes)."""
    from django.utils import timezone

    from spro.directory.models import Structure

    import_datasets(ANSWER_DATA)
    call_command("reindex", verbosity=0)  # the real search index; a failure fails the test
    warm_answer_indexes()
    today = timezone.localdate()
    closure = {"debut": today - dt.timedelta(days=2), "fin": today + dt.timedelta(days=5)}
    Structure.objects.filter(di_id="spro-demo--cap-emploi-35").update(
        fermetures_temporaires=[
            {"debut": closure["debut"].isoformat(), "fin": closure["fin"].isoformat(), "motif": "Travaux"}
        ]
    )
    journey = Journey(page, live_server)
    karim_retrains(journey, closure)
    apprentice_in_brest(journey)
    searcher(journey)
    journey.finish()
