"""The interest profile and the ranking of métiers by closeness to it (docs/explorer.md).

Pure functions over plain data, so that the formula can be checked by hand (tests/explorer/test_scoring.py):

- **Profile.** Answers a_i on the scale 0…top. For each RIASEC letter L, P_L = Σ a_i / (top · n_L) over the n_L
  answered items that carry L (0 when none); likewise P_c for each centre d'intérêt c. Each score is in [0, 1].
  An unanswered item counts for nothing (neither like nor dislike).
- **Métier vector.** From ROME 4.0 alone: RIASEC part f_R (majeur 1, mineur 0.5), centres part f_C (the fiche's
  principal centre d'intérêt 1, its others 0.5).
- **Closeness.** score = ½ · cos(P_R, f_R) + ½ · cos(P_C, f_C), each cosine 0 when a vector is zero; in [0, 1].
  Ties are broken by ROME code. Only codes enter the computation: no label, no appellation, no gender.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from spro.explorer.questionnaire import RIASEC, Questionnaire

MAJEUR, MINEUR = 1.0, 0.5
PRINCIPAL, SECONDAIRE = 1.0, 0.5
RIASEC_WEIGHT = 0.5  # the other half goes to the centres d'intérêt
LIKED = 2  # an answer of « Assez » or more is a liking shown in the reasons


@dataclass(frozen=True)
class Profile:
    """A person's interests on ROME's dimensions, each in [0, 1]."""

    riasec: dict[str, float]
    centres: dict[str, float]
    answered: int
    liked: tuple[int, ...] = ()  # ids of the items answered LIKED or more, highest answer first

    @property
    def empty(self) -> bool:
        """Nothing liked at all: no direction to rank by."""
        return not any(self.riasec.values()) and not any(self.centres.values())


def compute_profile(answers: Mapping[int, int], questionnaire: Questionnaire) -> Profile:
    """The profile of answers {item id: value}; ids not in the questionnaire are ignored."""
    top = questionnaire.top
    sums_r: dict[str, list[int]] = {letter: [] for letter in RIASEC}
    sums_c: dict[str, list[int]] = {code: [] for code in questionnaire.centres}
    answered = 0
    for item in questionnaire.items:
        value = answers.get(item.id)
        if value is None:
            continue
        answered += 1
        for letter in item.riasec:
            sums_r[letter].append(value)
        for code in item.centres:
            sums_c[code].append(value)
    liked = sorted(
        (item.id for item in questionnaire.items if answers.get(item.id, 0) >= LIKED),
        key=lambda i: (-answers[i], i),
    )
    return Profile(
        riasec={k: (sum(v) / (top * len(v)) if v else 0.0) for k, v in sums_r.items()},
        centres={k: (sum(v) / (top * len(v)) if v else 0.0) for k, v in sums_c.items()},
        answered=answered,
        liked=tuple(liked),
    )


@dataclass
class FicheRow:
    """What the ranking knows of one fiche (codes only; the label is for display)."""

    code: str
    libelle: str
    riasec: str  # majeur then mineur letter (« SE », « R », or empty)
    centres: tuple[tuple[str, bool], ...]  # (centre code, principal)
    grand_domaine: str = ""
    parent: str = ""  # the parent fiche's code (itself for a parent)
    niveau: int | None = None  # lowest entry level (European framework), when known
    tension: tuple[int, int, int] | None = None  # (bassins en tension, bassins, year), when known


@dataclass
class Matrix:
    """The fiches' unit vectors, one row per fiche, built once per referential."""

    rows: list[FicheRow]
    centre_dims: tuple[str, ...]
    riasec: np.ndarray = field(repr=False)  # n × 6
    centres: np.ndarray = field(repr=False)  # n × len(centre_dims)

    @classmethod
    def build(cls, rows: Sequence[FicheRow]) -> Matrix:
        rows = sorted(rows, key=lambda r: r.code)
        dims = tuple(sorted({c for row in rows for c, _p in row.centres}, key=lambda c: (len(c), c)))
        index = {c: i for i, c in enumerate(dims)}
        r = np.zeros((len(rows), len(RIASEC)))
        c = np.zeros((len(rows), len(dims)))
        for n, row in enumerate(rows):
            for position, letter in enumerate(row.riasec[:2]):
                r[n, RIASEC.index(letter)] = MAJEUR if position == 0 else MINEUR
            for code, principal in row.centres:
                c[n, index[code]] = PRINCIPAL if principal else SECONDAIRE
        return cls(list(rows), dims, _unit_rows(r), _unit_rows(c))


def _unit_rows(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return np.divide(m, norms, out=np.zeros_like(m), where=norms > 0)


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v


def scores(profile: Profile, matrix: Matrix) -> np.ndarray:
    """score_i = ½ cos(P_R, f_R,i) + ½ cos(P_C, f_C,i) for every fiche i of the matrix."""
    p_r = _unit(np.array([profile.riasec.get(letter, 0.0) for letter in RIASEC]))
    # |P_C| over all the profile's centres (one no fiche carries still counts in the person's norm).
    norm_c = float(np.linalg.norm(np.array(list(profile.centres.values()) or [0.0])))
    p_c = np.array([profile.centres.get(code, 0.0) for code in matrix.centre_dims])
    p_c = p_c / norm_c if norm_c > 0 else p_c
    return RIASEC_WEIGHT * (matrix.riasec @ p_r) + (1 - RIASEC_WEIGHT) * (matrix.centres @ p_c)


@dataclass(frozen=True)
class Adjustments:
    """What the person changed on the results: grands domaines left out, highest entry level accepted."""

    sans: frozenset[str] = frozenset()
    niveau_max: int | None = None


@dataclass(frozen=True)
class Ranked:
    row: FicheRow
    score: float


def rank(
    profile: Profile, matrix: Matrix, adjustments: Adjustments = Adjustments(), limit: int = 20
) -> list[Ranked]:
    """The closest fiches (score > 0), best first, one per family (a child fiche and its parent are one métier),
    after the adjustments. A fiche whose entry level is unknown is kept when a maximum level is set (it is said so)."""
    if profile.empty:
        return []
    values = scores(profile, matrix)
    # Rows are sorted by code, so a stable sort on the (rounded) score breaks ties by ROME code.
    order = np.argsort(-np.round(values, 12), kind="stable")
    out: list[Ranked] = []
    families: set[str] = set()
    for i in order.tolist():
        if values[i] <= 0:  # nothing in common with the profile: not a proposal
            break
        row = matrix.rows[i]
        if row.grand_domaine in adjustments.sans:
            continue
        if (
            adjustments.niveau_max is not None
            and row.niveau is not None
            and row.niveau > adjustments.niveau_max
        ):
            continue
        family = row.parent or row.code
        if family in families:
            continue
        families.add(family)
        out.append(Ranked(row, float(values[i])))
        if len(out) >= limit:
            break
    return out
