"""Structures are in the platform's one search (`/recherche`, `spro recherche`, the API): type `structure` of
docs/contracts.md, found by name, typologie and town, near a commune, linked to their fiche; retired ones are not."""

from __future__ import annotations

import pytest

from spro.directory.models import Structure
from spro.search.indexing import rebuild_index
from spro.search.service import search

from .conftest import import_file, structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(geo, write_document):
    report = import_file(
        write_document(
            [
                structure("cio-rennes", nom="CIO de Rennes"),
                structure("cio-brest", nom="CIO de Brest", code_insee="29019", zone_competence=["29"]),
                structure("ml", nom="Mission locale du bassin rennais", typologie="ML"),
                structure("gone", nom="CIO fermé de Rennes"),
            ]
        )
    )
    assert report.status == "success", report.error
    Structure.objects.filter(di_id="test--gone").update(is_active=False)
    return rebuild_index()


def test_structures_are_indexed_with_their_fiche_url(indexed):
    assert indexed.counts["structure"] == 3
    response = search("cio rennes", type="structure")
    assert [r.titre for r in response.resultats][:1] == ["CIO de Rennes"]
    assert response.resultats[0].url == "/structures/test--cio-rennes"
    assert all(r.type == "structure" for r in response.resultats)
    assert "CIO fermé de Rennes" not in [r.titre for r in response.resultats]


def test_a_structure_is_found_by_its_typologie_and_near_a_commune(indexed):
    response = search("mission locale", type="structure")
    assert [r.titre for r in response.resultats] == ["Mission locale du bassin rennais"]
    near_brest = search("cio", type="structure", commune="29019", rayon_km=20)
    assert [r.titre for r in near_brest.resultats] == ["CIO de Brest"]
