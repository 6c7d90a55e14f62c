"""Geo search: nearest order, radius, zone of competence, age, publics, open status and typologie."""

from __future__ import annotations

import datetime as dt

import pytest

from spro.directory import search
from spro.directory.models import Structure
from spro.referentials.geo.models import Commune

from .conftest import import_file, service, structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(geo, write_document):
    records = [
        structure("rennes", typologie="CIO", zone_competence=["35"]),
        structure(
            "cesson", nom="CIO de Cesson", code_insee="35051", typologie="CIO", zone_competence=["243500139"]
        ),
        structure(
            "vitre", nom="CIO de Vitré", code_insee="35360", typologie="CIO", zone_competence=["200039022"]
        ),
        structure(
            "malo", nom="CIO de Saint-Malo", code_insee="35288", typologie="CIO", zone_competence=["35288"]
        ),
        structure("brest", nom="CIO de Brest", code_insee="29019", typologie="CIO", zone_competence=["29"]),
        structure("ml", nom="Mission locale", typologie="ML", publics=["jeunes"], age_min=16, age_max=25),
        structure("nozone", nom="Sans zone", code_insee="35051", typologie="CIO", zone_competence=[]),
        structure(
            "closed",
            nom="Fermée pour travaux",
            typologie="FT",
            fermetures_temporaires=[{"debut": "2026-11-20", "fin": "2026-11-30", "motif": "Travaux"}],
        ),
        structure("night", nom="Ouverte la nuit", typologie="FT", horaires_accueil="Mo-Su 20:00-23:00"),
    ]
    report = import_file(write_document(records, [service("rennes")]))
    assert report.status == "success", report.error


def names(results) -> list[str]:
    return [hit.structure.di_id.removeprefix("test--") for hit in results.hits]


def test_nearest_first_with_exact_distances(network):
    results = search.nearest(commune="35238", typologie="CIO", rayon_km=100, competence=False)
    assert names(results) == ["rennes", "cesson", "nozone", "vitre", "malo"]
    distances = [hit.distance_km for hit in results.hits]
    assert distances == sorted(distances) and distances[0] == 0
    assert 5.0 < distances[1] < 6.5  # Rennes → Cesson-Sévigné ≈ 5.8 km
    assert 32 < distances[3] < 36  # Rennes → Vitré ≈ 35 km


def test_radius_excludes_farther_structures_even_inside_the_bounding_box(network):
    assert names(search.nearest(commune="35238", typologie="CIO", rayon_km=10, competence=False)) == [
        "rennes",
        "cesson",
        "nozone",
    ]
    # Saint-Malo is ≈ 63 km from Rennes.
    assert "malo" not in names(
        search.nearest(commune="35238", typologie="CIO", rayon_km=60, competence=False)
    )
    assert "malo" in names(search.nearest(commune="35238", typologie="CIO", rayon_km=70, competence=False))


def test_zone_of_competence_keeps_only_structures_covering_the_commune(network):
    # Cesson-Sévigné is in Rennes Métropole (EPCI 243500139) and in département 35.
    covering = names(search.nearest(commune="35051", typologie="CIO", rayon_km=100))
    assert covering == ["cesson", "nozone", "rennes"]  # Vitré's and Saint-Malo's zones do not include it
    assert names(search.nearest(commune="35360", typologie="CIO", rayon_km=100)) == [
        "vitre",
        "nozone",
        "rennes",
    ]
    brest = Commune.objects.get(pk="29019")
    assert set(Structure.objects.covering(brest).values_list("di_id", flat=True)) == {
        "test--brest",
        "test--nozone",
    }


def test_age_public_and_open_filters(network):
    assert "ml" in names(search.nearest(commune="35238", age=18, rayon_km=5))
    assert "ml" not in names(search.nearest(commune="35238", age=40, rayon_km=5))
    assert "ml" not in names(search.nearest(commune="35238", public="seniors", rayon_km=5))
    assert "rennes" in names(search.nearest(commune="35238", public="seniors", rayon_km=5))  # tous-publics
    tuesday_10h = dt.datetime(2026, 11, 24, 10, 0)
    open_now = names(search.nearest(commune="35238", ouvert_le=tuesday_10h, rayon_km=5))
    assert "rennes" in open_now and "closed" not in open_now and "night" not in open_now
    after_closure = names(
        search.nearest(commune="35238", ouvert_le=dt.datetime(2026, 12, 1, 10, 0), rayon_km=5)
    )
    assert "closed" in after_closure  # the temporary closure ended on 30 November


def test_point_search_and_listing(network):
    results = search.nearest(latitude=48.39, longitude=-4.486, rayon_km=5, typologie="CIO")
    assert names(results) == ["brest"]
    listing = search.listing(typologie="FT")
    assert [h.structure.nom for h in listing.hits] == ["Fermée pour travaux", "Ouverte la nuit"]
    assert listing.hits[0].distance_km is None


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"commune": "99999"}, "commune-inconnue"),
        ({}, "missing-location"),
        ({"commune": "35238", "rayon_km": 0}, "invalid-radius"),
        ({"commune": "35238", "rayon_km": 500}, "invalid-radius"),
        ({"latitude": 95.0, "longitude": 0.0}, "invalid-location"),
    ],
)
def test_bad_input_is_a_search_error(network, kwargs, code):
    with pytest.raises(search.SearchError) as error:
        search.nearest(**kwargs)
    assert error.value.code == code


def test_without_radius_only_competent_structures_are_found_however_far(network):
    """`rayon_km=None` (routing's last resort): a regional office covering the commune, at any distance."""
    found = search.nearest(commune="35288", typologies=["CIO", "ML"], rayon_km=None)
    assert names(found)[0] == "malo"  # nearest first, as always
    # Département 35 (Rennes), its own commune (Saint-Malo), no zone declared, and the ML covering 35; not Brest's
    # CIO (29) nor those of the EPCIs of Cesson and Vitré.
    assert set(names(found)) == {"malo", "rennes", "nozone", "ml"}
    with pytest.raises(search.SearchError):  # without a commune and competence, a radius is required
        search.nearest(latitude=48.1, longitude=-1.68, rayon_km=None)
    with pytest.raises(search.SearchError):
        search.nearest(commune="35288", competence=False, rayon_km=None)
