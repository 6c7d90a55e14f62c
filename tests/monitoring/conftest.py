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
