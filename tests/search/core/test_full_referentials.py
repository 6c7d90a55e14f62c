"""The search on the full built-in referentials: the sanity queries of issue 3 and the index build time.

Imports geography, ROME, certifications and formations once for the module (rolled back at the end).
"""

from __future__ import annotations

import time

import pytest
from django.db import transaction

from spro.referentials.certifications.importers import CertifInfoDataset, NsfBcnDataset
from spro.referentials.formations.importers import MasterDataset, OnisepDataset, ParcoursupDataset
from spro.referentials.geo.importers import GeoDataset
from spro.referentials.importing import run_dataset
from spro.referentials.rome.importers import RomeDataset
from spro.search.indexing import rebuild_index
from spro.search.service import search
from tests.conftest import settle_deferred_constraints

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def full_index(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                for dataset in (
                    GeoDataset,
                    RomeDataset,
                    NsfBcnDataset,
                    CertifInfoDataset,
                    OnisepDataset,
                    ParcoursupDataset,
                    MasterDataset,
                ):
                    assert run_dataset(dataset()).status == "success"
                started = time.monotonic()
                build = rebuild_index()
                settle_deferred_constraints()
                yield build, time.monotonic() - started
                raise _Rollback
        except _Rollback:
            pass


def codes(query: str, **params) -> list[str]:
    return [hit.code for hit in search(query, **params).resultats]


def test_the_index_covers_every_referential_in_reasonable_time(full_index):
    build, seconds = full_index
    assert build.counts["metier"] > 1500
    assert build.counts["certification"] > 9000
    assert build.counts["formation"] > 20000
    assert seconds < 120


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("infirmiere", "J1506"),
        ("infirmier", "J1506"),
        ("infirmeire", "J1506"),
        ("kine", "J1404"),
        ("mecano", "I1604"),
        ("boulangerie", "D1102"),
        ("boulangere", "D1102"),
        ("instit", "K2106"),
        ("vendeuse", None),
    ],
)
def test_sanity_queries(full_index, query, expected):
    found = codes(query)
    assert found, query
    if expected:
        assert expected in found[:3], (query, found)


def test_cap_patisserie_finds_the_cap(full_index):
    hits = search("cap patisserie").resultats[:3]
    assert any(h.titre.lower().startswith("cap") and "pâtissier" in h.titre.lower() for h in hits)


def test_animals_and_web_developer_in_rennes(full_index):
    animals = search("travailler avec les animaux").resultats
    assert animals and all("anima" in (h.titre + h.sous_titre).lower() for h in animals[:3])
    web = search("developeur web alternance rennes", type="formation").resultats
    assert web
