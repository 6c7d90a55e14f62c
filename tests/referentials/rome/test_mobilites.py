"""`spro.referentials.rome.mobilites` on a small hand-made graph (tests/referentials/rome/mobilites_graph.py)."""

from __future__ import annotations

import pytest

from spro.referentials.rome.mobilites import (
    SAVOIR,
    SAVOIR_ETRE,
    SAVOIR_FAIRE,
    UnknownContexte,
    contextes_a_eviter,
    parcours,
)
from tests.referentials.rome.mobilites_graph import CHARGES, DEBOUT, SAMEDI, build_graph

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def graph(db):
    build_graph()


def codes(cibles) -> list[str]:
    return [c.code_rome for c in cibles]


def test_one_step_keeps_rome_order_and_leaves_retired_fiches_out():
    found = parcours("O0001", pas=1)
    assert codes(found.cibles) == ["P0001", "P0002"]
    assert [c.ordre for c in found.cibles] == [1, 2]
    assert all(c.pas == 1 and c.via == [] for c in found.cibles)
    assert [c.meme_domaine for c in found.cibles] == [True, False]
    assert found.ecartees == 0


def test_two_steps_never_return_the_origin_nor_a_one_step_target():
    found = parcours("O0001", pas=2)
    assert codes(found.par_pas(1)) == ["P0001", "P0002"]
    # Best path first: (1, 1) Q1, (1, 2) Q3, (2, 1) Q2.
    assert codes(found.par_pas(2)) == ["Q0001", "Q0003", "Q0002"]
    q3 = found.par_pas(2)[1]
    assert [(e.code_rome, e.ordre) for e in q3.via] == [("P0001", 1), ("P0002", 2)]
    assert q3.ordre == 2


def test_items_to_acquire_are_the_targets_items_the_origin_lacks_core_first():
    p1 = parcours("O0001", pas=1).cibles[0]
    assert [(i.code_ogr, i.nature, i.coeur_metier) for i in p1.a_acquerir] == [
        ("c3", SAVOIR_FAIRE, True),
        ("e1", SAVOIR_ETRE, False),
        ("s1", SAVOIR, False),
    ]
    assert p1.en_commun == 1  # c1
    q3 = parcours("O0001").par_pas(2)[1]
    assert [i.code_ogr for i in q3.a_acquerir] == ["c3", "s1"]  # compared with the origin, not the step


def test_excluded_contexte_drops_targets_and_paths_through_them():
    found = parcours("O0001", pas=2, sans_contextes=[CHARGES])
    assert codes(found.par_pas(1)) == ["P0001"]
    # Q1 carries loads; Q2 is only reachable through P2, which carries loads; Q3 stays, through P1 only.
    assert codes(found.par_pas(2)) == ["Q0003"]
    assert [e.code_rome for e in found.par_pas(2)[0].via] == ["P0001"]
    assert found.ecartees == 2  # P2 and Q1
    assert [c.code_ogr for c in found.exclus] == [CHARGES]
    assert codes(parcours("O0001", sans_contextes=[CHARGES, SAMEDI]).cibles) == ["P0001"]


def test_bad_input():
    assert parcours("Z9999") is None
    assert parcours("R0001") is None  # retired
    with pytest.raises(ValueError):
        parcours("O0001", pas=3)
    with pytest.raises(UnknownContexte) as raised:
        parcours("O0001", sans_contextes=["999", CHARGES])
    assert raised.value.codes == ["999"]


def test_filters_offered_are_the_working_conditions_of_the_origin():
    assert [c.code_ogr for c in contextes_a_eviter("O0001")] == [CHARGES, DEBOUT]  # not the hours (type 2)
