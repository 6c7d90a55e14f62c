"""`GET /api/v1/aides`: the schemes and aids a person may be eligible for (a ninja router registered by
`spro.api.api`). Errors are `spro.core.api.ApiError`, so they get the API's `{"detail", "code"}` shape with a 4xx.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field, field_validator

from spro.aides.catalogue import NIVEAUX, DispositifError
from spro.aides.service import aides_for, as_dict, situation
from spro.core.api import ApiError, ErrorOut, strip_control_characters
from spro.core.forms import MAX_AGE, MIN_AGE
from spro.core.vocabularies.statuts import KNOWN_STATUTS
from spro.referentials.geo.api import COMMUNE_DOC, api_commune

router = Router(tags=["aides"])

# Built at import from the vocabularies (one list each): mypy cannot read them as literal types.
StatutParam = Literal[KNOWN_STATUTS]  # type: ignore[valid-type]
NiveauParam = Literal[tuple(NIVEAUX)]  # type: ignore[valid-type]


class AidesParams(Schema):
    age: int | None = Field(None, ge=MIN_AGE, le=MAX_AGE, description=f"Âge, de {MIN_AGE} à {MAX_AGE} ans.")
    statut: StatutParam | None = Field(
        None, description="Situation : " + ", ".join(f"`{s}`" for s in KNOWN_STATUTS) + "."
    )
    handicap: bool | None = Field(
        None,
        description="`true` : la personne est en situation de handicap ; `false` : elle ne l’est pas ; absent : "
        "non dit (les aides qui en dépendent sont alors « peut-etre »).",
    )
    niveau: NiveauParam | None = Field(  # type: ignore[valid-type]
        None,
        description="Plus haut diplôme : " + ", ".join(f"`{k}` ({v})" for k, v in NIVEAUX.items()) + ".",
    )
    commune: str | None = Field(
        None, max_length=200, description="Commune où vit la personne. " + COMMUNE_DOC, examples=["35238"]
    )

    @field_validator("commune")
    @classmethod
    def _clean_commune(cls, value: str | None) -> str | None:
        return strip_control_characters(value).strip() if value else value


class AideOut(Schema):
    code: str = Field(
        description="Identifiant stable du dispositif (`cej`, `cpf`… ; ceux d’une Région commencent "
        "par son nom)."
    )
    titre: str
    eligibilite: Literal["oui", "peut-etre"] = Field(
        description="`oui` : toutes les conditions vérifiables sont remplies ; `peut-etre` : une condition n’a pas "
        "pu être vérifiée faute d’information (voir `a_verifier`)."
    )
    conditions: list[str] = Field(
        description="Les conditions remplies, en mots simples (« vous avez 17 ans… »)."
    )
    a_verifier: list[str] = Field(
        description="Les conditions qui n’ont pas pu être vérifiées (information absente)."
    )
    autres_conditions: list[str] = Field(
        description="Conditions que le site ne vérifie pas (ressources, ancienneté, contrat…)."
    )
    resume: str
    ce_que_ca_apporte: str
    comment_en_beneficier: str
    structures: list[str] = Field(
        description="Types de structures qui aident à en bénéficier (codes `typologie`)."
    )
    source: str = Field(description="Adresse du texte officiel.")
    verifie_le: str = Field(description="Date de la dernière vérification de la source (AAAA-MM-JJ).")


class AidesOut(Schema):
    aides: list[AideOut] = Field(description="`oui` d’abord, puis `peut-etre`, chaque groupe par titre.")


@router.get(
    "",
    response={200: AidesOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut, 503: ErrorOut},
    summary="Les dispositifs et aides qui peuvent concerner une personne",
    description="Évalue le catalogue (national et de la Région) pour une situation : âge, statut, handicap, niveau "
    "de diplôme, commune. Tous les paramètres sont facultatifs ; une aide dont une condition ne peut pas être "
    "vérifiée faute d’information est rendue avec `eligibilite: peut-etre`, jamais écartée ni affirmée en "
    "silence. Mêmes résultats que la page `/aides`.",
    operation_id="aides",
)
def aides(request: HttpRequest, params: Query[AidesParams]) -> Any:
    resolution = api_commune(params.commune)
    try:
        results = aides_for(
            situation(
                age=params.age,
                statut=params.statut,
                handicap=params.handicap,
                niveau=params.niveau,
                commune=resolution.commune.code_insee if resolution and resolution.commune else None,
            )
        )
    except DispositifError as exc:  # a catalogue never loaded (an invalid deployment): not the caller's fault
        raise ApiError(503, "Le catalogue des aides est indisponible.", "catalogue-indisponible") from exc
    return {"aides": [as_dict(r) for r in results]}
