"""The public agenda and news: only published entries, filters by territory, public and type, 400 on unknown
filters, the Atom feeds (XML with entries) and the ICS feed (read back with icalendar), the home page's section and
the first answer's « Prochains événements près de chez vous »."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import icalendar
import pytest
from django.utils import timezone

from spro.core import home
from spro.events import public
from spro.events.models import RendezVous

from .conftest import make_news, make_rdv

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def agenda(geo):
    return {
        "rennes": make_rdv(titre="Forum de Rennes", commune_id="35238", public="jeunes"),
        "finistere": make_rdv(
            titre="Salon du Finistère", type="salon", departement_id="29", public="adultes", days=9
        ),
        "region": make_rdv(titre="Semaine régionale", type="reunion-information", region_id="53", days=12),
        "caen": make_rdv(titre="Forum de Caen", commune_id="14118", days=8),
        "submitted": make_rdv(titre="Proposition en attente", statut="soumise", commune_id="35238"),
        "refused": make_rdv(titre="Proposition refusée", statut="refusee", commune_id="35238"),
        "past": make_rdv(titre="Forum passé", days=-3),
        "far": make_rdv(titre="Salon lointain", type="salon", commune_id="35238", days=120),
    }


def titles(response):
    return [entry.titre for entry in response.context["page_obj"]]


def test_territory_is_derived_from_the_commune(agenda):
    rennes = agenda["rennes"]
    assert (rennes.departement_id, rennes.region_id) == ("35", "53")
    assert agenda["finistere"].region_id == "53"


def test_the_agenda_shows_only_published_upcoming_entries(client, agenda):
    response = client.get("/agenda")
    assert response.status_code == 200
    assert titles(response) == [
        "Forum de Rennes",
        "Forum de Caen",
        "Salon du Finistère",
        "Semaine régionale",
        "Salon lointain",
    ]
    body = response.content.decode()
    assert "Proposition" not in body and "Forum passé" not in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("departement=29", ["Salon du Finistère", "Semaine régionale"]),
        ("departement=35", ["Forum de Rennes", "Semaine régionale", "Salon lointain"]),
        ("departement=14", ["Forum de Caen"]),
        ("public=jeunes", ["Forum de Rennes", "Forum de Caen", "Semaine régionale", "Salon lointain"]),
        ("public=adultes&departement=29", ["Salon du Finistère", "Semaine régionale"]),
        ("type=salon", ["Salon du Finistère", "Salon lointain"]),
        ("type=salon&departement=29", ["Salon du Finistère"]),
    ],
)
def test_agenda_filters(client, agenda, query, expected):
    response = client.get(f"/agenda?{query}")
    assert response.status_code == 200
    assert titles(response) == expected


@pytest.mark.parametrize("query", ["departement=99", "public=retraites", "type=concert"])
def test_unknown_filters_are_a_clear_400(client, agenda, query):
    response = client.get(f"/agenda?{query}")
    assert response.status_code == 400
    assert "inconnu" in response.content.decode()
    assert client.get(f"/agenda/atom?{query}").status_code == 400
    assert client.get(f"/agenda.ics?{query}").status_code == 400


def test_unpublished_entries_have_no_page(client, agenda):
    assert client.get(f"/agenda/{agenda['rennes'].pk}").status_code == 200
    for key in ("submitted", "refused"):
        assert client.get(f"/agenda/{agenda[key].pk}").status_code == 404
        assert client.get(f"/agenda/{agenda[key].pk}.ics").status_code == 404
    hidden = make_news(titre="Brouillon", statut="soumise")
    assert client.get(f"/actualites/{hidden.pk}").status_code == 404


def test_news_page_and_filters(client, geo):
    make_news(titre="Cité des métiers à Brest", commune_id="29019", public="jeunes")
    make_news(titre="Salariés : le CEP", public="salarie")
    make_news(titre="En attente", statut="soumise")
    response = client.get("/actualites")
    assert response.status_code == 200
    assert [e.titre for e in response.context["page_obj"]] == [
        "Salariés : le CEP",
        "Cité des métiers à Brest",
    ]
    response = client.get("/actualites?public=salarie")
    assert [e.titre for e in response.context["page_obj"]] == ["Salariés : le CEP"]
    response = client.get("/actualites?departement=35&public=jeunes")
    assert [e.titre for e in response.context["page_obj"]] == []


def test_pages_work_without_javascript_and_have_their_filters_form(client, agenda):
    body = client.get("/agenda?departement=29").content.decode()
    assert '<form class="events-filters" method="get"' in body
    assert '<option value="29" selected>' in body
    assert "<script" not in body.split("<main", 1)[1]


def test_atom_feeds_parse_and_hold_the_published_entries(client, agenda):
    make_news(titre="Nouvelle actualité")
    make_news(titre="Pas encore", statut="soumise")
    response = client.get("/agenda/atom?departement=29")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]
    assert [t.split(" – ")[1] for t in entries] == ["Salon du Finistère", "Semaine régionale"]
    news = ET.fromstring(client.get("/actualites/atom").content)
    assert [e.find(f"{ATOM}title").text for e in news.findall(f"{ATOM}entry")] == ["Nouvelle actualité"]


def test_ics_feed_parses_with_icalendar(client, agenda):
    response = client.get("/agenda.ics?departement=29")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = [c for c in calendar.walk("VEVENT")]
    assert [str(e["summary"]) for e in events] == [
        "Salon : Salon du Finistère",
        "Réunion d’information : Semaine régionale",
    ]
    assert str(events[0]["uid"]).startswith(f"agenda-{agenda['finistere'].pk}@")
    assert str(events[0]["url"]).endswith(f"/agenda/{agenda['finistere'].pk}")
    one = icalendar.Calendar.from_ical(client.get(f"/agenda/{agenda['rennes'].pk}.ics").content)
    assert [str(e["summary"]) for e in one.walk("VEVENT")] == ["Forum : Forum de Rennes"]


def test_nearby_is_the_departement_and_its_region_in_the_coming_weeks(agenda):
    assert [e.titre for e in public.nearby("29232")] == ["Salon du Finistère", "Semaine régionale"]
    assert [e.titre for e in public.nearby("35238")] == ["Forum de Rennes", "Semaine régionale"]
    assert [e.titre for e in public.nearby("14118")] == ["Forum de Caen"]


def test_home_page_shows_upcoming_published_entries_only(client, geo):
    make_rdv(titre="Forum refusé", statut="refusee")
    make_rdv(titre="Forum d’hier", days=-2)
    body = client.get("/").content.decode()
    assert "Prochains rendez-vous" not in body
    make_rdv(titre="Forum de l’alternance", commune_id="35238")
    body = client.get("/").content.decode()
    assert "Prochains rendez-vous" in body and "Forum de l’alternance" in body
    assert "Forum refusé" not in body and "Forum d’hier" not in body


def test_the_home_hook_renders_registered_sections_in_order(client, db, monkeypatch):
    assert ("events/_home.html", "spro.events.public.home_context") in [
        (s.template_name, s.context_callable_path) for s in home.registered()
    ]
    home.register_home_section("events/_home.html", "spro.events.public.home_context")  # twice: kept once
    assert len([s for s in home.registered() if s.template_name == "events/_home.html"]) == 1
    real = home.render_to_string

    def render(name, context, request=None):
        if name == "test_section.html":
            return f"<p id='test-section'>{context['words']}</p>"
        return real(name, context, request=request)

    monkeypatch.setattr(home, "render_to_string", render)
    home.register_home_section("test_section.html", "tests.events.test_public.section_context")
    try:
        body = client.get("/").content.decode()
        assert "<p id='test-section'>bonjour</p>" in body
        assert body.index("titre-question") > body.index("test-section") > body.index('id="parcours"')
        SECTION["words"] = ""
        assert "test-section" not in client.get("/").content.decode()
    finally:
        home.unregister_home_section("test_section.html")
        SECTION["words"] = "bonjour"


SECTION = {"words": "bonjour"}


def section_context(request):
    return {"words": SECTION["words"]} if SECTION["words"] else None


def test_answer_context_shows_events_near_the_commune_only(agenda):
    near = public.answer_context("29019")
    assert [e.titre for e in near["evenements_proches"]] == ["Salon du Finistère", "Semaine régionale"]
    assert near["evenements_departement"] == "29"
    assert public.answer_context(None) == {"evenements_proches": []}
    assert public.answer_context("00000") == {"evenements_proches": []}


def test_answer_template_block_is_shown_only_with_entries(rf, agenda):
    from django.template.loader import render_to_string

    html = render_to_string("events/_answer.html", public.answer_context("29019"))
    assert "Prochains événements près de chez vous" in html and "Salon du Finistère" in html
    assert "?departement=29" in html
    RendezVous.objects.update(statut="refusee")
    assert render_to_string("events/_answer.html", public.answer_context("29019")).strip() == ""


def test_an_entry_ending_now_is_still_upcoming_until_its_end(geo):
    entry = make_rdv(titre="En cours", days=-0.1, hours=5)
    assert entry.debut < timezone.now() < entry.fin
    assert [e.titre for e in public.upcoming_agenda()] == ["En cours"]
    assert entry.fin - entry.debut == dt.timedelta(hours=5)
