"""Fixtures of the monitoring tests: the accounts tests' network, and a way to record first contacts."""

from __future__ import annotations

import datetime as dt

import pytest

from spro.contacts import log
from tests.accounts.factories import build_network


@pytest.fixture
def network(db):
    return build_network()


def add_contact(network, structure="a", user="conseiller_a", **fields):
    values = {
        "date": dt.date(2026, 3, 10),
        "channel": "sur-place",
        "age_band": "18-25",
        "statut": "lyceen",
        "besoins": ["decouvrir-metiers"],
        "answer_given": "information",
    }
    values.update(fields)
    return log.record(network["users"][user], network[structure], **values)


def rollup_cells(indicator: str) -> dict:
    """Every rollup row of `indicator`: (structure, level, dimension, month, territory, value) → count."""
    from spro.monitoring.models import Rollup

    return {
        (r.structure_id, r.level, r.dimension, str(r.month), r.territory, r.value): r.count
        for r in Rollup.objects.filter(indicator=indicator)
    }


def whole(cells: dict) -> dict:
    """The every-structure, whole-territory cells: (dimension, value) → count."""
    return {(k[2], k[5]): v for k, v in cells.items() if k[0] == 0 and k[1] == "ensemble"}


def rebuilt_cells(indicator: str) -> dict:
    """`indicator`'s rows as `spro indicateurs reconstruire` writes them from the sources (after emptying them)."""
    from django.core.management import call_command

    from spro.monitoring.models import Rollup

    Rollup.objects.filter(indicator=indicator).delete()
    call_command("indicateurs", "reconstruire", indicateur=[indicator])
    return rollup_cells(indicator)
