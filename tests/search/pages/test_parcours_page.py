"""The page « Parcours de métiers » (`/metiers/{code}/parcours`, spro/search/views_parcours.py) on the small ROME
graph: GET only, a plain form (no JavaScript), the contexte filter built from the origin's working conditions."""

from __future__ import annotations

import re

import pytest

from spro.search import views_parcours
from tests.referentials.rome.mobilites_graph import CHARGES, build_graph

pytestmark = pytest.mark.django_db

URL = "/metiers/O0001/parcours"


@pytest.fixture(autouse=True)
def graph(db):
    build_graph()


def titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="result-card__title"><a href="/metiers/(\w+)">', html)


def test_page_lists_one_and_two_steps_with_what_to_learn(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Après le métier Cariste : vers quels métiers aller ?" in html
    assert titles(html) == ["P0001", "P0002", "Q0001", "Q0003", "Q0002"]
    assert "À apprendre : 3 choses que votre métier actuel ne demande pas." in html
    assert "Commander un aiguillage" in html and "(essentiel dans ce métier)" in html
    assert "En passant par :" in html
    # A plain GET form: works without JavaScript; the filters are the origin's working conditions (type 1).
    assert '<form method="get"' in html and "<script" not in html.split("<main", 1)[1]
    assert f'name="sans_contexte" value="{CHARGES}"' in html and 'value="300800"' in html
    assert 'value="23374"' not in html  # « Travail le samedi » is about hours, not offered here
    assert "O0001" not in re.sub(r'href="[^"]*"|value="[^"]*"|id="[^"]*"', "", html.split("<main", 1)[1])


def test_filter_hides_targets_and_says_so(client):
    html = client.get(URL, {"sans_contexte": CHARGES}).content.decode()
    assert titles(html) == ["P0001", "Q0003"]
    assert f'id="sans-{CHARGES}" name="sans_contexte" value="{CHARGES}" checked' in html
    assert "1 métier est caché parce que vous voulez éviter" not in html
    assert "2 métiers sont cachés parce que vous voulez éviter : « Port et manipulation" in html


def test_one_step_only_and_bad_values_fall_back(client):
    html = client.get(URL, {"pas": "1"}).content.decode()
    assert titles(html) == ["P0001", "P0002"] and "titre-deux-pas" not in html
    html = client.get(URL, {"pas": "zz", "sans_contexte": "inconnu"}).content.decode()
    assert titles(html) == ["P0001", "P0002", "Q0001", "Q0003", "Q0002"]


def test_long_lists_are_folded_in_native_details(client, monkeypatch):
    monkeypatch.setattr(views_parcours, "SHOWN_ITEMS", 1)
    html = client.get(URL, {"pas": "1"}).content.decode()
    assert '<details class="fold">' in html and "Voir les 2 autres choses à apprendre" in html


def test_unknown_retired_and_post(client):
    assert client.get("/metiers/Z9999/parcours").status_code == 404
    assert client.get("/metiers/R0001/parcours").status_code == 404
    assert client.post(URL).status_code == 405
