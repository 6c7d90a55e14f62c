"""Issue 18, « Done when » (events part), by keyboard with axe on every page:

* a professionalisation event fills up and its waiting list moves: Alice takes the last seat, Bruno joins the
  waiting list, Alice cancels, Bruno's registration is confirmed and he is e-mailed; the Region's team records
  attendance;
* the Region's team creates an event by keyboard: its type is a required choice (a first try without it is sent
  back with the error summary), then the event's page shows it;
* a public forum appears in the agenda and on the home page: a network member's proposal is published by the
  Region's team (moderation by keyboard), then /agenda (filtered by département) and the home page show it, also at
  320 px without JavaScript.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from spro.events import public
from spro.events.models import EvenementPro, Inscription, RendezVous
from tests.browser.harness import axe_violations, format_violations
from tests.browser.test_search_journey import tab_to
from tests.events.conftest import make_event, make_structure, make_user, outbox
from tests.geography import Row, add_communes

pytestmark = pytest.mark.browser

PASSWORD = "x" * 16
SMALL_NO_JS = {"viewport": {"width": 320, "height": 640}, "java_script_enabled": False}


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.SPRO_REGION_CODE = "53"
    settings.SPRO_SITE_URL = "https://orientation.example.org"


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


def button(text: str) -> str:
    return f"el.tagName === 'BUTTON' && el.textContent.includes({text!r})"


def test_an_event_fills_up_and_its_waiting_list_moves_when_someone_cancels(
    browser_context_factory, live_server
):
    base = live_server.url
    add_communes(Row("35238", "Rennes", "35", ("35000",)))
    cio, ml = make_structure("CIO de Rennes"), make_structure("Mission locale de Brest", "ML")
    alice, bruno = make_user("alice", cio), make_user("bruno", ml)
    team = make_user("region", region_team="53")
    event = make_event(capacite=1, titre="Rencontre des réseaux de l’orientation")

    alice_page = browser_context_factory().new_page()
    log_in(alice_page, base, alice)
    alice_page.goto(f"{base}/pro/evenements")
    assert_accessible(alice_page)
    tab_to(alice_page, "el.textContent.trim() === 'Rencontre des réseaux de l’orientation'", "the event link")
    press_enter_and_wait(alice_page)
    tab_to(alice_page, button("M’inscrire"), "the register button")
    press_enter_and_wait(alice_page)
    assert "Votre inscription est confirmée" in alice_page.locator("#mon-statut").inner_text()
    assert_accessible(alice_page)

    bruno_page = browser_context_factory().new_page()
    log_in(bruno_page, base, bruno)
    bruno_page.goto(f"{base}/pro/evenements/{event.pk}")
    assert bruno_page.locator("#places").inner_text().strip() == "1 inscrit sur 1 place"
    tab_to(bruno_page, button("M’inscrire sur la liste d’attente"), "the waiting-list button")
    press_enter_and_wait(bruno_page)
    assert "liste d’attente, en position 1" in bruno_page.locator("#mon-statut").inner_text()
    assert_accessible(bruno_page)

    tab_to(alice_page, button("Annuler mon inscription"), "the cancel button")
    press_enter_and_wait(alice_page)
    assert "donnée à la première personne de la liste d’attente" in alice_page.content()
    assert_accessible(alice_page)

    bruno_page.reload()
    assert "Votre inscription est confirmée" in bruno_page.locator("#mon-statut").inner_text()
    assert [m.to for m in outbox()] == [bruno.email]

    # The Region's team records Bruno as present, by keyboard.
    team_page = browser_context_factory().new_page()
    log_in(team_page, base, team)
    team_page.goto(f"{base}/pro/evenements/{event.pk}")
    assert_accessible(team_page)
    row = Inscription.objects.get(user=bruno)
    tab_to(team_page, f"el.id === 'presence-{row.pk}-1'", "the first attendance choice")
    page_focus = team_page.evaluate("() => document.activeElement.id")
    assert page_focus == f"presence-{row.pk}-1"
    team_page.keyboard.press("ArrowRight")  # radio group: the arrow moves and checks « Présent »
    tab_to(team_page, button("Enregistrer les présences"), "the attendance button")
    press_enter_and_wait(team_page)
    assert Inscription.objects.get(pk=row.pk).presence == "present"
    assert_accessible(team_page)


def type_datetime(page, field_id: str, when: dt.datetime) -> None:
    """A `datetime-local` field by keyboard: day = month, so the order of the date's parts does not matter; the
    time after moving to its part (Chromium's year part takes up to six digits and does not move on by itself)."""
    tab_to(page, f"el.id === {field_id!r}", field_id)
    page.keyboard.type(when.strftime("%d%m%Y"))
    page.keyboard.press("ArrowRight")
    page.keyboard.type(when.strftime("%H%M"))
    expected = when.strftime("%Y-%m-%dT%H:%M")
    if page.locator(f"#{field_id}").input_value() != expected:  # a 12-hour field waits for AM/PM
        page.keyboard.type("A" if when.hour < 12 else "P")
    assert page.locator(f"#{field_id}").input_value() == expected


def test_the_region_team_creates_an_event_and_chooses_its_type_by_keyboard(
    browser_context_factory, live_server
):
    base = live_server.url
    team = make_user("region", region_team="53")
    start = dt.datetime(timezone.localtime().year + 1, 3, 3, 9, 30)

    page = browser_context_factory().new_page()
    log_in(page, base, team)
    page.goto(f"{base}/pro/evenements")
    tab_to(page, "el.textContent.trim() === 'Créer un événement'", "the new event link")
    press_enter_and_wait(page)
    assert_accessible(page)
    assert page.locator("#id_type").input_value() == ""  # a choice to make, not « autre » by default
    tab_to(page, "el.id === 'id_titre'", "the title field")
    page.keyboard.type("Visite du port de commerce")
    type_datetime(page, "id_debut", start)
    type_datetime(page, "id_fin", start.replace(hour=12))
    tab_to(page, "el.id === 'id_lieu'", "the place field")
    page.keyboard.type("Port de Brest")
    tab_to(page, "el.id === 'id_capacite'", "the places field")
    page.keyboard.type("20")
    tab_to(page, button("Enregistrer"), "the save button")
    press_enter_and_wait(page)
    assert "Type d’événement : Choisissez un type d’événement." in page.locator("#erreurs").inner_text()
    assert not EvenementPro.objects.exists()
    assert_accessible(page)

    tab_to(page, "el.id === 'id_type'", "the type choice")
    page.keyboard.type("Visite")  # a closed select chooses the option whose label starts so
    assert page.locator("#id_type").input_value() == "visite"
    tab_to(page, button("Enregistrer"), "the save button")
    press_enter_and_wait(page)
    event = EvenementPro.objects.get()
    assert (event.titre, event.type, event.capacite) == ("Visite du port de commerce", "visite", 20)
    assert page.locator("#type-evenement").inner_text() == "Visite d’entreprise ou d’établissement"
    assert_accessible(page)


def test_a_public_forum_appears_in_the_agenda_and_on_the_home_page(browser_context_factory, live_server):
    base = live_server.url
    add_communes(Row("35238", "Rennes", "35", ("35000",)), Row("29019", "Brest", "29", ("29200",)))
    member = make_user("membre", make_structure("Cité des métiers de Brest", "CDM"))
    team = make_user("region", region_team="53")
    start = timezone.now() + dt.timedelta(days=6)
    proposal = RendezVous(
        type="forum",
        titre="Forum de l’alternance de Brest",
        texte="Des entreprises et des centres de formation qui recrutent en alternance.",
        debut=start,
        fin=start + dt.timedelta(hours=6),
        lieu="Quartz, Brest",
        public="jeunes",
        commune_id="29019",
    )
    public.submit(proposal, user=member, publish=False)

    page = browser_context_factory().new_page()
    page.goto(f"{base}/agenda")
    assert "Forum de l’alternance" not in page.content()  # not public before moderation
    page.goto(f"{base}/")
    assert "Prochains rendez-vous" not in page.content()

    log_in(page, base, team)
    page.goto(f"{base}/pro/publications")
    assert_accessible(page)
    tab_to(page, "el.textContent.trim() === 'Forum de l’alternance de Brest'", "the proposal to review")
    press_enter_and_wait(page)
    assert_accessible(page)
    tab_to(page, "el.id === 'id_decision_0'", "the « Publier » choice")
    page.keyboard.press("Space")
    tab_to(page, button("Enregistrer la décision"), "the decision button")
    press_enter_and_wait(page)
    proposal.refresh_from_db()
    assert proposal.statut == "publiee"

    # The agenda, filtered by keyboard on the Finistère.
    page.goto(f"{base}/agenda")
    tab_to(page, "el.id === 'filtre-departement'", "the département filter")
    page.keyboard.type("Finis")  # a closed select chooses the option whose label starts so
    tab_to(page, button("Afficher"), "the filter button")
    press_enter_and_wait(page)
    assert "departement=29" in page.url
    assert page.locator(".events-item__title").all_inner_texts() == ["Forum de l’alternance de Brest"]
    assert_accessible(page)
    tab_to(page, "el.textContent.trim() === 'Forum de l’alternance de Brest'", "the forum link")
    press_enter_and_wait(page)
    assert "Quartz, Brest" in page.content()
    assert_accessible(page)

    page.goto(f"{base}/")
    assert page.locator("#titre-agenda-accueil").inner_text() == "Prochains rendez-vous"
    tab_to(page, "el.textContent.trim() === 'Forum de l’alternance de Brest'", "the forum on the home page")
    assert_accessible(page)

    # 320 px, no JavaScript: the agenda and the home page fit the screen.
    small = browser_context_factory(**SMALL_NO_JS).new_page()
    for path in ("/agenda?departement=29", "/", "/actualites", f"/agenda/{proposal.pk}"):
        small.goto(base + path)
        width = small.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, (path, width)
    small.goto(base + "/agenda?departement=29")
    assert "Forum de l’alternance de Brest" in small.content()
