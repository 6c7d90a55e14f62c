"""`/question`: the form, the answer page, errors in the form, the stats row, the summary download, the home entry."""

from __future__ import annotations

import logging
import re

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection

from spro.answer.models import AnswerStat
from tests.accounts.factories import places_in_rennes

from .support import make_communes

pytestmark = pytest.mark.django_db
MARKER = "Zorglubienne7731"


@pytest.fixture(autouse=True)
def communes():
    make_communes()


def ask(client, **fields):
    data = {"text": "", "age": "", "statut": "", "commune": "", **fields}
    return client.post("/question", data, follow=True)


def test_the_form_has_labelled_fields_and_csrf(client):
    response = client.get("/question")
    assert response.status_code == 200
    html = response.content.decode()
    assert "csrfmiddlewaretoken" in html
    for field, label in (("text", "Votre question"), ("age", "Votre âge"), ("statut", "Votre situation")):
        assert f'<label for="id_{field}">{label}' in html
    assert 'aria-describedby="id_text-aide"' in html
    assert 'name="handicap"' in html and 'name="commune"' in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_home_page_links_to_the_question_page(client):
    assert 'href="/question"' in client.get("/").content.decode()


def test_posting_a_question_gives_the_answer_page_with_contact_links(client):
    response = ask(client, text="je veux devenir infirmière", age="30", statut="salarie", commune="Rennes")
    assert response.status_code == 200, response.content.decode()[:2000]
    html = response.content.decode()
    assert "<h1>Votre première réponse</h1>" in html
    assert 'id="besoins"' in html and "Qui peut vous aider" in html
    assert "data-imprimer" in html and "Télécharger le résumé" in html
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_contact_buttons_post_the_restated_needs_to_the_referral_consent_step(client):
    places_in_rennes(("CIO", "ML", "FT", "CEP", "PIJ_BIJ"))
    text = "j'ai 17 ans, j'ai arrêté le lycée et je ne sais pas quoi faire, je cherche une formation"
    html = ask(client, text=text, commune="Rennes").content.decode()
    restated = re.findall(r'<li data-besoin="([^"]+)">', html)
    forms = re.findall(
        r'<form method="post" action="(/structures/[^"]+/etre-contacte)"[^>]*>(.*?)</form>', html, re.S
    )
    assert restated and forms
    for _action, inside in forms:
        assert "csrfmiddlewaretoken" in inside
        assert re.findall(r'name="besoins" value="([^"]+)"', inside) == restated
    assert 'href="/structures/test--' in html and "etre-contacte?" not in html  # nothing in an address
    consent = client.post(forms[0][0], {"besoins": restated}).content.decode()
    assert re.findall(r'<input type="hidden" name="besoins" value="([^"]+)">', consent) == restated


def test_the_answer_page_writes_exactly_one_coarse_stats_row(client):
    ask(client, text="je cherche un emploi", age="17", statut="lyceen", commune="35238")
    row = AnswerStat.objects.get()
    assert (row.channel, row.age_band, row.statut, row.departement_id) == ("page", "16-17", "lyceen", "35")
    assert 1 <= len(row.besoins) <= 3 and len(row.typologies) <= 3
    fields = {f.name for f in AnswerStat._meta.get_fields()}
    assert fields == {"id", "date", "channel", "age_band", "statut", "departement", "besoins", "typologies"}


def test_the_free_text_is_stored_nowhere(client, caplog):
    """Nowhere: no column of any table, no decoded session, no cache entry, no log record of the request."""
    with caplog.at_level(logging.DEBUG):
        data = {"text": f"je m'appelle {MARKER} et je cherche un emploi", "commune": "35238"}
        sent = client.post("/question", data)  # the session between the form and the answer's address, too
        assert MARKER not in sent["Location"]
        for session in Session.objects.all():
            assert MARKER not in repr(session.get_decoded())
        client.get(sent["Location"])
    assert AnswerStat.objects.count() == 1
    assert not [r for r in caplog.records if MARKER in r.getMessage() or MARKER in str(r.args)]
    for session in Session.objects.all():
        assert MARKER not in repr(session.get_decoded())
    for alias in settings.CACHES:
        entries = getattr(caches[alias], "_cache", {})  # the local-memory cache of the tests: pickled values
        assert not [key for key, value in entries.items() if MARKER in key or MARKER.encode() in value]
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            for column in columns:
                quoted_table, quoted_column = (
                    connection.ops.quote_name(table),
                    connection.ops.quote_name(column),
                )
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quoted_table} WHERE CAST({quoted_column} AS TEXT) LIKE %s",
                    [f"%{MARKER}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column}")
    assert found == []


def test_the_text_is_not_in_a_url_of_the_answer_page(client):
    sent = client.post(
        "/question", {"text": f"{MARKER} je cherche un emploi", "age": "23", "commune": "35238"}
    )
    assert sent.status_code == 303 and MARKER not in sent["Location"]  # the answer's own address: codes only
    assert "23" not in sent["Location"].replace("35238", "")  # an age band, not the age
    html = ask(client, text=f"{MARKER} je cherche un emploi").content.decode()
    for url in re.findall(r'(?:href|action)="([^"]*)"', html):
        assert MARKER not in url


def test_an_empty_form_shows_an_error_linked_to_the_field(client):
    response = ask(client)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and 'href="#id_text"' in html
    assert 'id="id_text-erreur"' in html
    assert re.search(r'<textarea[^>]*aria-describedby="id_text-aide id_text-erreur"', html)
    assert re.search(r'<textarea[^>]*aria-invalid="true"', html)
    assert not AnswerStat.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"text": "infirmière", "age": "abc"}, "age"),
        ({"text": "infirmière", "age": "7"}, "age"),
        ({"text": "infirmière", "statut": "pirate"}, "statut"),
        ({"text": "infirmière", "commune": "Atlantide-sur-Mer"}, "commune"),
    ],
)
def test_bad_fields_are_shown_in_the_form_never_a_500(client, fields, field):
    response = ask(client, **fields)
    assert response.status_code == 400
    assert f'id="id_{field}-erreur"' in response.content.decode()


def test_html_in_the_text_is_escaped(client):
    response = ask(client, text="<script>alert('x')</script> je cherche une formation", age="abc")
    assert response.status_code == 400
    html = response.content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_the_summary_download_has_no_personal_data(client):
    page = ask(client, text=f"{MARKER} j'ai 23 ans et je cherche un emploi", age="23", commune="Quimper")
    html = page.content.decode()
    summary_form = re.search(r'<form method="post" action="/question/resume">(.*?)</form>', html, re.S)
    assert summary_form, "the answer page offers the summary download"
    fields = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', summary_form.group(1))
    assert fields and all(
        name in {"csrfmiddlewaretoken", "besoin", "metier", "structure", "etape", "ressource"}
        for name, _ in fields
    )
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    response = client.post("/question/resume", data)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"].startswith("attachment")
    text = response.content.decode()
    assert "Vos besoins" in text
    assert MARKER not in text and "23 ans" not in text and "Quimper" not in text and "29232" not in text


def test_a_step_that_says_the_age_stays_off_the_summary(client, monkeypatch):
    from spro.answer import routing

    real = routing.next_steps

    def steps_with_age(profile, besoins, metiers):
        etapes, ressources = real(profile, besoins, metiers)
        return [f"À {profile.age} ans, vous avez des droits.", *etapes], ressources

    monkeypatch.setattr(routing, "next_steps", steps_with_age)
    html = ask(client, text="je cherche un emploi", age="23").content.decode()
    # The answer's address carries an age band, not the age (issue 14): the page says the band, for the person.
    assert "À 18 à 25 ans, vous avez des droits." in html
    assert 'value="À 18 à 25 ans' not in html  # but not in the summary form


def test_the_summary_only_writes_known_labels(client):
    response = client.post(
        "/question/resume",
        {
            "besoin": ["recherche-emploi", "<b>inconnu</b>"],
            "metier": ["Z9999", "drop table"],
            "structure": ["XX|1"],
        },
    )
    text = response.content.decode()
    assert "Trouver un emploi" in text
    assert "inconnu" not in text and "drop table" not in text and "XX" not in text


def test_the_summary_only_answers_post(client):
    assert client.get("/question/resume").status_code == 405
