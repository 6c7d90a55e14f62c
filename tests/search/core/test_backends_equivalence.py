"""SQLite FTS5 and PostgreSQL full-text give the same results: the top-10 codes of a query set on the current
backend must equal the stored expectation (written once, checked on both backends).

Regenerate after a deliberate ranking change: SPRO_WRITE_SEARCH_EXPECTATIONS=1 pytest this file (on SQLite): the
run writes the file and fails, asking for a review of the diff; then run it without the variable on both backends.
The stored file is the code's own output, so the top-1 expectations below are written by hand, independently of it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.db import connection

from spro.search.backends import get_backend
from spro.search.service import search

pytestmark = pytest.mark.django_db

EXPECTED = Path(__file__).with_name("expected_top10.json")
QUERIES = [
    {"q": "infirmiere"},
    {"q": "infirmier scolaire"},
    {"q": "kine"},
    {"q": "instit"},
    {"q": "mecano"},
    {"q": "boulangerie"},
    {"q": "cap patisserie"},
    {"q": "cap"},
    {"q": "bts"},
    {"q": "developeur web alternance rennes"},
    {"q": "developpeur web", "commune": "35238", "rayon_km": 100, "tri": "distance"},
    {"q": "travailler avec les animaux"},
    {"q": "comptabilite"},
    {"q": "infirmier boulanger"},  # no document has both: OR fallback
    {"q": "diplome etat"},
    {"q": "", "departement": "35"},
    {"q": "formation", "type": "formation"},
]


def run_all() -> dict[str, dict]:
    out = {}
    for params in QUERIES:
        params = dict(params)
        response = search(params.pop("q"), **params)
        key = json.dumps(params | {"q": response.q}, ensure_ascii=False, sort_keys=True)
        out[key] = {"total": response.total, "top10": [hit.code for hit in response.resultats]}
    return out


def test_the_backend_matches_the_vendor(index):
    assert get_backend().vendor == connection.vendor


def test_top10_codes_equal_the_stored_expectation(index):
    results = run_all()
    if os.environ.get("SPRO_WRITE_SEARCH_EXPECTATIONS"):
        EXPECTED.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        pytest.fail(
            f"{EXPECTED.name} rewritten from this run: review `git diff`, then run again without the variable"
        )
    assert results == json.loads(EXPECTED.read_text(encoding="utf-8"))


#: What a person typing the query expects first, written by hand from the fiches' titles (not from a run).
TOP1 = {
    "infirmier scolaire": "J1511",  # Infirmier / Infirmière scolaire
    "instit": "K2106",  # Professeur / Professeure des écoles (« instituteur » is an appellation)
    "mecano": "I1604",  # Mécanicien / Mécanicienne automobile
    "boulangerie": "D1102",  # Boulanger / Boulangère
    "kine": "J1404",  # Masseur-kinésithérapeute
    "comptabilite": "M1203",  # Comptable
}


@pytest.mark.parametrize(("query", "code"), TOP1.items())
def test_what_a_person_expects_comes_first(index, query, code):
    assert search(query).resultats[0].code == code


def test_a_nurse_query_finds_the_nurse_fiche_in_the_first_two(index):
    assert "J1506" in [hit.code for hit in search("infirmiere").resultats[:2]]
