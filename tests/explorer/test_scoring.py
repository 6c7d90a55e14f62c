"""The profile and the closeness formula against values computed by hand (written before running the code).

Four fiches, built by hand (codes only matter):
- A0001: RIASEC « S »,  centres {22 principal}
- A0002: RIASEC « RS », centres {17 principal, 22}
- A0003: RIASEC « IR », centres {29 principal}
- A0004: no RIASEC, no centre (never proposed: score 0)
Fiche vectors: majeur 1, mineur 0.5; principal centre 1, other 0.5; each part made unit.
score = ½ cos(P_R, f_R) + ½ cos(P_C, f_C).
Items used (questionnaire.yaml): 1 « S », centre 22; 8 « R », 17; 18 « I », 10; 21 « IR », 29.
"""

from __future__ import annotations

import math

import pytest

from spro.explorer.questionnaire import get_questionnaire
from spro.explorer.scoring import Adjustments, FicheRow, Matrix, compute_profile, rank

Q = get_questionnaire()
ROWS = [
    FicheRow("A0001", "Fiche S", "S", (("22", True),), grand_domaine="J", parent="A0001", niveau=3),
    FicheRow(
        "A0002", "Fiche RS", "RS", (("17", True), ("22", False)), grand_domaine="A", parent="A0002", niveau=7
    ),
    FicheRow("A0003", "Fiche IR", "IR", (("29", True),), grand_domaine="M", parent="A0003"),
    FicheRow("A0004", "Fiche vide", "", (), grand_domaine="M", parent="A0004", niveau=3),
]
MATRIX = Matrix.build(ROWS)


def scored(answers: dict[int, int], **kwargs) -> list[tuple[str, float]]:
    return [(r.row.code, r.score) for r in rank(compute_profile(answers, Q), MATRIX, **kwargs)]


def test_profile_1_care_by_hand():
    # Item 1 (S, 22) = 3, item 8 (R, 17) = 2, item 21 (IR, 29) = 0.
    profile = compute_profile({1: 3, 8: 2, 21: 0}, Q)
    # S: 3/3 = 1 ; R: (2 + 0)/(3·2) = 1/3 ; I: 0/3 = 0 ; A, E, C: no answered item = 0.
    assert profile.riasec == pytest.approx({"R": 1 / 3, "I": 0, "A": 0, "S": 1, "E": 0, "C": 0})
    assert profile.centres["22"] == pytest.approx(1)
    assert profile.centres["17"] == pytest.approx(2 / 3)
    assert profile.centres["29"] == 0 and profile.centres["10"] == 0
    assert profile.answered == 3 and profile.liked == (1, 8)
    # P_R unit = (R 1/√10, S 3/√10); P_C unit = (22: 3/√13, 17: 2/√13).
    # A0001: ½(3/√10 + 3/√13) = ½(0.948683 + 0.832050) = 0.890367
    # A0002: ½((2/√5·1/√10 + 1/√5·3/√10) + (2/√5·2/√13 + 1/√5·3/√13)) = ½(5/√50 + 7/√65) = ½(0.707107 + 0.868243)
    #        = 0.787675
    # A0003: ½(1/√5·1/√10 + 0) = ½·0.141421 = 0.070711 ; A0004: 0, not proposed.
    assert scored({1: 3, 8: 2, 21: 0}) == [
        ("A0001", pytest.approx(0.890367, abs=1e-6)),
        ("A0002", pytest.approx(0.787675, abs=1e-6)),
        ("A0003", pytest.approx(0.070711, abs=1e-6)),
    ]


def test_profile_2_tech_by_hand():
    # Item 21 (IR, 29) = 3, item 18 (I, 10) = 3, item 8 (R, 17) = 0, item 1 (S, 22) = 1.
    profile = compute_profile({21: 3, 18: 3, 8: 0, 1: 1}, Q)
    # I: 6/6 = 1 ; R: (3 + 0)/6 = 1/2 ; S: 1/3. |P_R| = √(1 + 1/4 + 1/9) = 7/6 → unit (I 6/7, R 3/7, S 2/7).
    assert profile.riasec == pytest.approx({"R": 0.5, "I": 1, "A": 0, "S": 1 / 3, "E": 0, "C": 0})
    # Centres 29 = 1, 10 = 1, 17 = 0, 22 = 1/3. |P_C| = √19/3 → unit (29: 3/√19, 10: 3/√19, 22: 1/√19).
    # A0001: ½(2/7 + 1/√19) = ½(0.285714 + 0.229416) = 0.257565
    # A0002: ½((2/√5·3/7 + 1/√5·2/7) + 1/√5·1/√19) = ½(8/(7√5) + 1/√95) = ½(0.511101 + 0.102598) = 0.306849
    # A0003: ½((2/√5·6/7 + 1/√5·3/7) + 3/√19) = ½(15/(7√5) + 3/√19) = ½(0.958315 + 0.688247) = 0.823281
    assert scored({21: 3, 18: 3, 8: 0, 1: 1}) == [
        ("A0003", pytest.approx(0.823281, abs=1e-6)),
        ("A0002", pytest.approx(0.306849, abs=1e-6)),
        ("A0001", pytest.approx(0.257565, abs=1e-6)),
    ]


def test_profile_3_likes_everything_by_hand():
    # Every item « Beaucoup »: every letter and every centre 1; P_R unit = 1/√6 each, P_C unit = 1/√30 each.
    answers = {item.id: 3 for item in Q.items}
    profile = compute_profile(answers, Q)
    assert set(profile.riasec.values()) == {1.0} and set(profile.centres.values()) == {1.0}
    assert len(profile.centres) == 30
    # A0001: ½(1/√6 + 1/√30) = ½(0.408248 + 0.182574) = 0.295411
    # A0002: ½(3/(√5·√6) + 3/(√5·√30)) = ½(0.547723 + 0.244949) = 0.396336
    # A0003: ½(3/(√5·√6) + 1/√30) = ½(0.547723 + 0.182574) = 0.365148
    assert scored(answers) == [
        ("A0002", pytest.approx(0.396336, abs=1e-6)),
        ("A0003", pytest.approx(0.365148, abs=1e-6)),
        ("A0001", pytest.approx(0.295411, abs=1e-6)),
    ]
    assert math.isclose(scored(answers)[0][1], 0.5 * (3 / math.sqrt(30) + 3 / math.sqrt(150)))


def test_nothing_liked_gives_no_ranking():
    profile = compute_profile({1: 0, 8: 0, 18: 0, 21: 0, 30: 0}, Q)
    assert profile.empty and profile.answered == 5
    assert rank(profile, MATRIX) == []


def test_adjustments_exclude_a_grand_domaine_and_a_level_but_keep_unknown_levels():
    answers = {1: 3, 8: 2, 21: 1}
    assert [c for c, _ in scored(answers)] == ["A0001", "A0002", "A0003"]
    assert [c for c, _ in scored(answers, adjustments=Adjustments(sans=frozenset({"J"})))] == [
        "A0002",
        "A0003",
    ]
    # A0002 needs level 7 (bac + 5): gone at a maximum of 4 (bac); A0003's level is unknown: kept.
    assert [c for c, _ in scored(answers, adjustments=Adjustments(niveau_max=4))] == ["A0001", "A0003"]


def test_one_fiche_per_family_and_ties_by_code():
    rows = [
        FicheRow("B0002", "Enfant", "S", (("22", True),), parent="B0001"),
        FicheRow("B0001", "Parent", "S", (("22", True),), parent="B0001"),
        FicheRow("B0003", "Autre", "S", (("22", True),), parent="B0003"),
    ]
    ranked = rank(compute_profile({1: 3, 2: 0, 3: 0, 4: 0, 5: 0}, Q), Matrix.build(rows))
    # Three equal scores: code order, and B0002 is of B0001's family.
    assert [r.row.code for r in ranked] == ["B0001", "B0003"]


def test_unknown_item_ids_are_ignored():
    assert compute_profile({1: 3, 999: 3}, Q) == compute_profile({1: 3}, Q)
