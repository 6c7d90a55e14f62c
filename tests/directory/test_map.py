"""The structure maps, server side: each page's data island holds exactly the structures of its list, nothing leaves
the site unless a tile source is configured, and the CSP allows that tile host for images only."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from spro.core.middleware import CONTENT_SECURITY_POLICY, content_security_policy, tile_origin
from tests.accounts.factories import places_in_rennes

from .conftest import import_file, structure

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
IGN = (
    "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2"
    "&STYLE=normal&FORMAT=image/png&TILEMATRIXSET=PM&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
)


def island(html: str, name: str):
    found = re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1)) if found else None


def listed_links(html: str) -> list[str]:
    return re.findall(r'<h3><a href="(/structures/[^"]+)">', html)


@pytest.fixture
def rennes_network(geo, write_document):
    report = import_file(
        write_document(
            [
                structure("rennes", nom="CIO de Rennes", adresse="1 rue Le Bastard", code_postal="35000"),
                structure("cesson", nom="CIO de Cesson", code_insee="35051"),
                structure("vitre", nom="CIO de Vitré", code_insee="35360"),
                structure("ml", nom="Mission locale de Rennes", typologie="ML"),
            ]
        )
    )
    assert report.status == "success", report.error


def test_the_structures_page_maps_exactly_the_structures_of_its_list(client, rennes_network):
    html = client.get("/structures?commune=35238&typologie=CIO&rayon_km=50").content.decode()
    markers = island(html, "carte-lieux")
    assert (
        [m["url"] for m in markers]
        == listed_links(html)
        == [
            "/structures/test--rennes",
            "/structures/test--cesson",
            "/structures/test--vitre",
        ]
    )
    first = markers[0]
    assert first == {
        "id": "test--rennes",
        "nom": "CIO de Rennes",
        "lat": 48.1113,
        "lon": -1.68,
        "adresse": "1 rue Le Bastard, 35000 Rennes",
        "url": "/structures/test--rennes",
        "approximatif": False,
    }
    assert 'id="carte"' in html and 'role="region"' in html and "les mêmes lieux" in html
    assert "<script>" not in html  # no inline script: data islands (application/json) and static files only


def test_the_map_follows_the_page_of_results(client, geo, write_document):
    import_file(write_document([structure(f"n{n}", nom=f"CIO {n:02}") for n in range(12)]))
    second = client.get("/structures?commune=35238&typologie=CIO&page=2").content.decode()
    assert [m["url"] for m in island(second, "carte-lieux")] == listed_links(second)
    assert len(listed_links(second)) == 2


def test_no_result_no_map(client, rennes_network):
    html = client.get("/structures?commune=29019&typologie=CIO&rayon_km=5").content.decode()
    assert island(html, "carte-lieux") is None and "leaflet" not in html


def test_a_structure_page_maps_its_structure(client, rennes_network):
    html = client.get("/structures/test--cesson").content.decode()
    assert [m["id"] for m in island(html, "carte-lieux")] == ["test--cesson"]


def test_a_structure_without_coordinates_is_placed_at_its_commune_centre(client, rennes_network):
    from spro.directory.models import Structure

    Structure.objects.filter(di_id="test--vitre").update(latitude=None, longitude=None)
    html = client.get("/structures/test--vitre").content.decode()
    (marker,) = island(html, "carte-lieux")
    assert (marker["lat"], marker["lon"], marker["approximatif"]) == (48.1236, -1.2089, True)


def test_the_answer_page_maps_the_structures_of_its_cards(client, rennes_network):
    places_in_rennes(("ML", "FT", "PIJ_BIJ"), di_prefix="test--answer-")
    text = "j'ai 17 ans, j'ai arrêté le lycée et je ne sais pas quoi faire, je cherche une formation"
    data = {"text": text, "age": "", "statut": "", "commune": "Rennes"}
    response = client.post("/question", data, follow=True)  # the answer has its own address (issue 14)
    html = response.content.decode()
    section = html[
        html.index('<div class="answer">') : html.index('id="titre-infos"')
    ]  # recommended place first
    cards = re.findall(r'<a href="(/structures/[^"?]+)"', section)
    assert cards, html[:3000]
    assert [m["url"] for m in island(html, "carte-lieux")] == list(dict.fromkeys(cards))


def test_no_external_address_in_a_map_page_without_a_tile_source(client, rennes_network):
    html = client.get("/structures?commune=35238&typologie=CIO&rayon_km=50").content.decode()
    config = island(html, "carte-config")
    assert config["tuiles"] == "" and config["fond"].startswith("/static/directory/map-basemap")
    # Named marker images (Leaflet's own guess breaks on hashed static names in production).
    assert config["icone"]["marker-icon"].startswith("/static/core/vendor/leaflet/images/marker-icon")
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', html)
    assert "http://" not in json.dumps(config) and "https://" not in json.dumps(config)
    assert client.get("/structures?commune=35238")["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_a_configured_tile_source_is_allowed_for_images_only(client, rennes_network, settings):
    settings.SPRO_MAP_TILES_URL = IGN
    settings.SPRO_MAP_TILES_ATTRIBUTION = "© IGN – Plan IGN"
    response = client.get("/structures?commune=35238&typologie=CIO")
    csp = response["Content-Security-Policy"]
    assert "img-src 'self' data: https://data.geopf.fr;" in csp
    assert csp.replace(" https://data.geopf.fr", "") == CONTENT_SECURITY_POLICY  # nothing else is opened
    config = island(response.content.decode(), "carte-config")
    assert config["tuiles"] == IGN and config["attribution"] == "© IGN – Plan IGN" and config["fond"] == ""


def test_tile_origins():
    assert tile_origin(IGN) == "https://data.geopf.fr"
    assert tile_origin("https://{s}.tiles.example.org/{z}/{x}/{y}.png") == "https://*.tiles.example.org"
    assert tile_origin("https://tiles.example.org:8443/{z}/{x}/{y}.png") == "https://tiles.example.org:8443"
    for bad in (
        "http://tiles.example.org/{z}/{x}/{y}.png",
        "https://{z}.example.org/{x}/{y}",
        "javascript:1",
    ):
        assert tile_origin(bad) is None
        assert content_security_policy(bad) == CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(
    "url, attribution",
    [
        ("http://tiles.example.org/{z}/{x}/{y}.png", "x"),
        ("https://tiles.example.org/tile.png", "x"),
        (IGN, ""),
    ],
)
def test_a_bad_tile_source_stops_the_start_with_one_line(url, attribution):
    env = {**os.environ, "SPRO_MAP_TILES_URL": url, "SPRO_MAP_TILES_ATTRIBUTION": attribution}
    done = subprocess.run(
        [sys.executable, "-c", "import spro.settings"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "SPRO_MAP_TILES_URL must be an https:// template" in done.stderr.strip().splitlines()[-1]


def test_the_offline_basemap_is_built_from_the_shipped_geography():
    spec = importlib.util.spec_from_file_location(
        "build_map_basemap", ROOT / "scripts" / "build_map_basemap.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0, "run scripts/build_map_basemap.py"
    shipped = module.OUTPUT
    assert shipped.stat().st_size < 400_000
    data = json.loads(shipped.read_text(encoding="utf-8"))
    places = {p[0]: p for p in data["places"]}
    assert places["Rennes"][3] == 1 and places["Quimper"][3] == 2 and places["Lorient"][3] == 3
    # Approximate départements: every metropolitan and overseas département, each around its préfecture.
    areas = dict(data["departements"])
    assert len(areas) == 101 and {"29", "2A", "2B", "974"} <= set(areas)
    lats, lons = zip(*(point for ring in areas["35"] for point in ring), strict=True)
    assert min(lats) < places["Rennes"][1] < max(lats) and min(lons) < places["Rennes"][2] < max(lons)
