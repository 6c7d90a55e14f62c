"""The per-list counts of the pages are kept between requests and made again after any change of the young
people: an import, an assignment (a save), a purge."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spro.dropouts import lists
from spro.dropouts.models import Campaign, YoungPerson
from spro.dropouts.retention import purge
from tests.dropouts.conftest import born, line, run_import, write_list

pytestmark = pytest.mark.django_db


def _segments(user) -> tuple[dict[str, int], int]:
    """The list's counts per priority and the number of COUNT queries run to get them."""
    with CaptureQueriesContext(connection) as queries:
        page = lists.young_people(user, lists.Filters())
    counted = sum("COUNT(" in query["sql"].upper() for query in queries.captured_queries)
    return {code: n for code, n in page.segments if n}, counted


def test_the_counts_are_kept_until_the_young_people_change(zone_world):
    coordinator = zone_world["users"]["coordinateur_quimper"]
    run_import(
        write_list(zone_world["tmp"], line(nom="Kerbrat", date_naissance=born(16)), line(nom="Le Gall"))
    )
    assert _segments(coordinator) == ({"prioritaire": 1, "a_contacter": 1}, 1)
    assert _segments(coordinator) == ({"prioritaire": 1, "a_contacter": 1}, 0)  # kept: no COUNT
    # an import (rows written in bulk, no model signal)
    run_import(write_list(zone_world["tmp"], line(nom="Morvan"), name="b.csv"), "2026-01")
    assert _segments(coordinator) == ({"prioritaire": 1, "a_contacter": 2}, 1)
    # an assignment (a save)
    lists.assign(
        coordinator, YoungPerson.objects.get(priority="prioritaire"), partner=None, priority="injoignable"
    )
    assert _segments(coordinator) == ({"a_contacter": 2, "injoignable": 1}, 1)
    # the purge (a deletion in bulk)
    Campaign.objects.update(closed_on="2000-01-01")
    assert purge().jeunes == 3
    assert _segments(coordinator) == ({}, 1)


def test_each_user_and_filter_has_its_own_counts(zone_world):
    run_import(write_list(zone_world["tmp"], line(nom="Le Gall"), line(nom="Riou", commune="35238")))
    quimper, rennes = zone_world["users"]["coordinateur_quimper"], zone_world["users"]["coordinateur_rennes"]
    assert _segments(quimper)[0] == {"a_contacter": 1}
    assert _segments(rennes)[0] == {"a_contacter": 1}
    page = lists.young_people(quimper, lists.Filters(priority="prioritaire"))
    assert len(page) == 0
    nobody = lists.young_people(zone_world["users"]["conseiller_ml_rennes"], lists.Filters())
    assert len(nobody) == 1  # the ML of Rennes is assigned Riou


def test_a_change_drops_every_kept_count_at_once(zone_world):
    from spro.dropouts import counts

    run_import(write_list(zone_world["tmp"], line(nom="Le Gall"), line(nom="Riou", commune="35238")))
    _segments(zone_world["users"]["coordinateur_quimper"])
    _segments(zone_world["users"]["coordinateur_rennes"])
    assert len(counts._COUNTS._entries) == 2
    counts.changed()
    _segments(zone_world["users"]["coordinateur_quimper"])
    assert len(counts._COUNTS._entries) == 1  # Rennes's count, made under the old version, is gone
