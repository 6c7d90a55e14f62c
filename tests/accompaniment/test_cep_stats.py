"""The Region's coordination counts of the CEP (spro/accompaniment/stats.py and its pro page): counts per operator and
per département, small counts hidden so that no hidden count can be recomputed from the published sums; who may see
them; the CSV shows the same values."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Hashable

import numpy as np
import pytest
from django.utils import timezone

from spro.accompaniment import stats
from spro.accompaniment.models import Accompaniment
from spro.accompaniment.vocabularies import Origin, Status
from spro.core.disclosure import MASKED, SMALL
from spro.pathways.models import Action, Focus, Objective, Pathway

URL = "/pro/cep/coordination"
NOW = timezone.now()


# --- A hidden count cannot be recomputed: linear algebra on the published sums -----------------------------------


def recomputable(values: dict, sums: list, shown: dict) -> set:
    """The hidden keys whose value the published numbers determine: with the shown values moved to the right-hand
    side, the sums are a linear system over the hidden values; a hidden value is determined exactly when its unit
    vector lies in the row space of that system (rank test)."""
    hidden = [key for key in values if not isinstance(shown[key], int)]
    index = {key: i for i, key in enumerate(hidden)}
    matrix = []
    for total, parts in sums:
        row = [0.0] * len(hidden)
        for key, sign in [(total, 1.0)] + [(p, -1.0) for p in parts]:
            if key in index:
                row[index[key]] += sign
        if any(row):
            matrix.append(row)
    if not matrix:
        return set(hidden)
    a = np.array(matrix)
    rank = np.linalg.matrix_rank(a)
    found = set()
    for key, i in index.items():
        unit = np.zeros(len(hidden))
        unit[i] = 1.0
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found.add(key)
    return found


def crafted() -> tuple[dict[Hashable, int], list]:
    """Two operators in one département and the total: operator A received 3 people (all level 1), B received 12.
    Published: every line's received = level 1 + level 2, the département = A + B, per column."""
    values: dict[Hashable, int] = {
        ("A", "recues"): 3, ("A", "n1"): 3, ("A", "n2"): 0,
        ("B", "recues"): 12, ("B", "n1"): 5, ("B", "n2"): 7,
        ("D", "recues"): 15, ("D", "n1"): 8, ("D", "n2"): 7,
    }  # fmt: skip
    sums = [
        (("A", "recues"), [("A", "n1"), ("A", "n2")]),
        (("B", "recues"), [("B", "n1"), ("B", "n2")]),
        (("D", "recues"), [("D", "n1"), ("D", "n2")]),
        *[((("D", c)), [("A", c), ("B", c)]) for c in ("recues", "n1", "n2")],
    ]
    return values, sums


def test_with_primary_suppression_only_the_small_counts_could_be_recomputed():
    values, sums = crafted()
    primary_only = {k: (SMALL if 0 < v < 5 else v) for k, v in values.items()}
    assert recomputable(values, sums, primary_only) == {("A", "recues"), ("A", "n1")}  # D − B gives them back


def test_no_hidden_count_can_be_recomputed_from_the_published_sums():
    values, sums = crafted()
    shown = stats.suppress_sums(values, sums)
    assert shown[("A", "recues")] == SMALL and shown[("A", "n1")] == SMALL and shown[("A", "n2")] == 0
    assert MASKED in shown.values()
    assert recomputable(values, sums, shown) == set()


def test_zero_is_shown_and_negative_counts_are_refused():
    assert stats.suppress_sums({"t": 0, "a": 0}, [("t", ["a"])]) == {"t": 0, "a": 0}
    with pytest.raises(ValueError, match="négatif"):
        stats.suppress_sums({"t": -1}, [])


# --- The table from real accompaniments ---------------------------------------------------------------------------


def make_cep(
    structure, level: str, outcome: str = "", *, appointment_days: float | None = None
) -> Accompaniment:
    pathway = Pathway.objects.create(goal_kind="projet", goal_label="Changer de métier", origin="direct")
    closed = bool(outcome)
    accompaniment = Accompaniment.objects.create(
        structure=structure,
        pathway=pathway,
        origin=Origin.SUR_PLACE,
        first_name="Karim",
        consent_text_version="v1",
        consent_given_at=NOW,
        opened_at=NOW - dt.timedelta(days=30),
        status=Status.CLOS if closed else Status.OUVERT,
        closed_at=NOW if closed else None,
        outcome="projet-defini" if closed else "",
        cep_level=level,
        cep_stage="termine" if closed else "accueil",
        cep_outcome=outcome,
    )
    if appointment_days is not None:
        focus = Focus.objects.create(pathway=pathway, code="emploi")
        objective = Objective.objects.create(focus=focus, label="Faire le point")
        Action.objects.create(
            objective=objective,
            label="Rendez-vous",
            appointment_at=accompaniment.opened_at + dt.timedelta(days=appointment_days),
            proposed_by_structure=structure,
            proposed_at=accompaniment.opened_at,
        )
    return accompaniment


@pytest.fixture
def cep_network(network):
    """a (Quimper, 29): 3 people, level 1; b (Rennes, 35): 12 people, 5 level 1 and 7 level 2 (4 « formation
    engagée », 3 « VAE »), 5 with a first appointment after 2, 4, 6, 8 and 10 days; c (Caen, 14): 9 people; and one
    accompaniment of a with no CEP level (not counted)."""
    for _ in range(3):
        make_cep(network["a"], "niveau-1", appointment_days=1)
    for i in range(5):
        make_cep(network["b"], "niveau-1", appointment_days=2 * (i + 1))
    for i in range(7):
        make_cep(network["b"], "niveau-2", "formation-engagee" if i < 4 else "vae-engagee")
    for _ in range(9):
        make_cep(network["c"], "niveau-2")
    make_cep(network["a"], "", appointment_days=None)  # not a CEP accompaniment: not counted
    return network


def test_the_table_counts_per_operator_and_departement_and_hides_small_counts(cep_network):
    from spro.accounts.permissions import statistics_structures

    table = stats.coordination(statistics_structures(cep_network["users"]["pilote_region"]))
    assert [line.label for line in table.operators] == [
        "CIO de Rennes",
        "Mission locale du Pays de Cornouaille",
    ]
    rennes, quimper = table.operators
    assert rennes.cells["niveau-2"] == 7 and rennes.cells["vae-engagee"] == SMALL
    assert rennes.cells["formation-engagee"] == SMALL
    assert quimper.cells["recues"] == SMALL and quimper.cells["niveau-1"] == SMALL
    assert [line.departement for line in table.departements] == ["29", "35"]
    assert table.total.cells["recues"] == 15  # Caen (Normandie) is outside the pilot's Region
    # 15 − Quimper's 3 would give Rennes' 12 back: Rennes' count is hidden too.
    assert rennes.cells["recues"] == MASKED
    # No hidden count can be recomputed from every published number and every sum they obey.
    shown = {
        (line.kind, line.key, column): line.cells[column]
        for line in table.lines()
        for column in stats.COLUMNS
    }
    assert recomputable(table.counts, table.sums, shown) == set()
    # Delays: Rennes has 5 first appointments (2 to 10 days): shown; Quimper 3: hidden.
    assert rennes.median_days == 6.0 and rennes.average_days == 6.0
    assert quimper.median_days is None and quimper.average_days is None


def test_the_page_for_a_region_pilot(client, cep_network):
    client.force_login(cep_network["users"]["pilote_region"])
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "CIO de Rennes" in body and "Mission locale de Caen" not in body
    assert "&lt; 5" in body and "Karim" not in body
    assert 'href="/pro/cep/coordination.csv"' in body


@pytest.mark.parametrize("role", ["pilote_region", "pilote_etat", "tete_ml_bzh", "superuser"])
def test_pilots_and_network_heads_may_count(client, cep_network, role):
    client.force_login(cep_network["users"][role])
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize("role", ["conseiller_a", "admin_a", "partenaire_social", "membre_crefop", "nobody"])
def test_others_may_not(client, cep_network, role):
    client.force_login(cep_network["users"][role])
    assert client.get(URL).status_code == 403
    assert client.get(URL + ".csv").status_code == 403


def test_anonymous_is_sent_to_login(client, cep_network):
    assert client.get(URL)["Location"].startswith("/pro/connexion")


def test_the_csv_holds_the_shown_values_only(client, cep_network):
    client.force_login(cep_network["users"]["pilote_region"])
    response = client.get(URL + ".csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["Niveau", "Ligne", "Département", "Personnes reçues"]
    quimper = next(row for row in rows if row[1] == "Mission locale du Pays de Cornouaille")
    assert quimper[3] == SMALL and "Karim" not in text
    assert rows[-1][:4] == ["Total", "Total", "", "15"]


@pytest.mark.parametrize("query", ["debut=2026-13-01", "debut=2026-12-07&fin=2026-01-01", "fin=hier"])
def test_a_bad_period_is_a_french_error(client, cep_network, query):
    client.force_login(cep_network["users"]["pilote_region"])
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert "invalide" in response.content.decode() or "précéder" in response.content.decode()
    assert client.get(f"{URL}.csv?{query}").status_code == 400


def test_the_period_filters_on_the_opening_date(client, cep_network):
    client.force_login(cep_network["users"]["pilote_region"])
    future = (NOW + dt.timedelta(days=400)).date().isoformat()
    body = client.get(f"{URL}?debut={future}").content.decode()
    assert "Aucun accompagnement CEP" in body
