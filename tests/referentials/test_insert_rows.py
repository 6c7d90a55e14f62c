"""`insert_rows`, the executemany INSERT behind every import and the search index build: the rows it writes
read back exactly as the ORM would have written them, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from spro.referentials.importing import insert_rows
from spro.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def test_missing_fields_take_their_defaults_and_json_round_trips():
    insert_rows(
        SearchDocument,
        [
            {
                "type": "metier",
                "code": "J1506",
                "titre": "Infirmier",
                "url": "/metiers/J1506",
                "titre_norm": "infirmi",
            },
            {
                "type": "formation",
                "code": "onisep-1",
                "titre": "BTS",
                "url": "/formations/onisep-1",
                "titre_norm": "bts",
                "modalites": ["apprentissage", "continue"],
                "publics": ["salarie"],
                "latitude": 48.1,
                "longitude": -1.68,
            },
        ],
    )
    metier = SearchDocument.objects.get(code="J1506")
    assert (
        metier.modalites == []
        and metier.publics == []
        and metier.sous_titre == ""
        and metier.latitude is None
    )
    formation = SearchDocument.objects.get(code="onisep-1")
    assert formation.modalites == ["apprentissage", "continue"] and formation.publics == ["salarie"]
    assert (formation.latitude, formation.longitude) == (48.1, -1.68)
    assert metier.pk != formation.pk  # the database numbered them


def test_values_of_another_type_go_through_the_field_adapter():
    insert_rows(
        SearchDocument,
        [
            {
                "type": "metier",
                "code": 42,
                "titre": "T",
                "url": "/u",
                "titre_norm": "t",
                "niveau": 3,
                "latitude": 1,
            }
        ],
    )
    doc = SearchDocument.objects.get(code="42")
    assert (doc.code, doc.niveau, doc.latitude) == ("42", "3", 1.0)


def test_unsaved_instances_are_inserted_with_their_primary_key_when_all_have_one():
    docs = [
        SearchDocument(id=9001, type="metier", code="A1101", titre="A", url="/a", titre_norm="a"),
        SearchDocument(id=9002, type="metier", code="A1201", titre="B", url="/b", titre_norm="b"),
    ]
    insert_rows(SearchDocument, docs)
    assert dict(SearchDocument.objects.values_list("code", "id")) == {"A1101": 9001, "A1201": 9002}


def test_an_empty_batch_writes_nothing():
    insert_rows(SearchDocument, [])
    assert not SearchDocument.objects.exists()
