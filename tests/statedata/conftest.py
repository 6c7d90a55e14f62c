"""Fixtures of the State figures tests: a small geography (Bretagne, two départements, Rennes and Quimper, an EPCI,
a bassin d'emploi) and a helper that writes a CSV file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.accounts.factories import geography

HEADER = "service;periode;territoire_niveau;territoire_code;indicateur;valeur;source"


@pytest.fixture
def geo(db):
    from spro.referentials.geo.models import BassinEmploi, Commune, Epci

    world = geography()
    BassinEmploi.objects.create(code="5303", nom="Rennes")
    Epci.objects.create(code="243500139", nom="Rennes Métropole", type="ME")
    Commune.objects.filter(code_insee="35238").update(bassin_emploi_id="5303", epci_id="243500139")
    return world


@pytest.fixture
def write_csv(tmp_path):
    def write(*lines: str, header: str = HEADER, name: str = "etat.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(("\n".join([header, *lines]) + "\n").encode(encoding))
        return path

    return write
