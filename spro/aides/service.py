"""The catalogue's answer for a situation, in the shapes the API, the page and the first answer share.

Why here: the API (`GET /api/v1/aides`), the page `/aides` and later the first answer ask the same question (which
schemes may concern this person, and why); each reads its input its own way, then calls `aides_for` and shows
`as_dict`/`Resultat` its own way.
"""

from __future__ import annotations

from typing import Any

from spro.aides.catalogue import Catalogue
from spro.aides.evaluation import Resultat, Situation, evaluate
from spro.aides.territoire import lieu_of


def situation(
    *,
    age: int | None = None,
    age_max: int | None = None,
    statut: str | None = None,
    handicap: bool | None = None,
    niveau: str | None = None,
    commune: str | None = None,
) -> Situation:
    """A situation from already validated values; `commune` is an INSEE code of the referential (its territory is
    looked up: a code the referential does not hold leaves the territory unknown); `age_max` makes `age` a band."""
    return Situation(
        age=age,
        age_max=age_max,
        statut=statut or None,
        handicap=handicap,
        niveau=niveau or None,
        lieu=lieu_of(commune) if commune else None,
    )


def aides_for(situation_: Situation, catalogue: Catalogue | None = None) -> list[Resultat]:
    return evaluate(situation_, catalogue)


def as_dict(resultat: Resultat) -> dict[str, Any]:
    """One scheme as the API and `docs/contracts.md` say (code, titre, conditions, structures, source, verifie_le),
    with the rest of the card."""
    d = resultat.dispositif
    return {
        "code": d.id,
        "titre": d.titre,
        "eligibilite": resultat.eligibilite,
        "conditions": resultat.raisons,
        "a_verifier": resultat.a_verifier,
        "autres_conditions": resultat.autres_conditions,
        "resume": d.resume,
        "ce_que_ca_apporte": d.ce_que_ca_apporte,
        "comment_en_beneficier": d.comment_en_beneficier,
        "structures": d.structures,
        "source": d.source_url,
        "verifie_le": d.verifie_le.isoformat(),
    }
