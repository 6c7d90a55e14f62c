"""`GET /api/v1/metiers/{code_rome}/mobilites`: the « parcours de métiers » of a fiche (a ninja router).

Registered by `spro.api.api` under `/metiers`; the work is done by `spro.search.parcours`, which the public page
`/metiers/{code_rome}/parcours` renders too. Errors are raised as `spro.core.api.ApiError` (shape `{"detail",
"code"}`, 4xx): 404 for an unknown fiche, 400 for a bad `pas`, an unknown contexte or commune.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import BaseModel, ConfigDict, Field

from spro.core.api import ApiError, ErrorOut, strip_control_characters
from spro.referentials.geo.api import COMMUNE_DOC, api_commune
from spro.referentials.rome.mobilites import UnknownContexte

router = Router(tags=["fiches"])

MAX_CODE_LENGTH = 64
MAX_CONTEXTES = 20


class MobilitesParams(Schema):
    pas: int = Field(
        2,
        ge=1,
        le=2,
        description="1 : les métiers accessibles directement depuis ce métier ; 2 : aussi ceux accessibles en "
        "passant par l’un d’eux.",
    )
    sans_contexte: list[str] = Field(
        default_factory=list,
        max_length=MAX_CONTEXTES,
        description="Code OGR d’un contexte de travail du ROME à éviter (répétable) : les métiers qui ont ce "
        "contexte sont écartés, comme cibles et comme étapes. Ex. `300795` « Port et manipulation de charges "
        "lourdes ou encombrantes ». Les conditions de travail du métier de départ sont dans "
        "`contextes_filtrables`.",
        examples=[["300795"]],
    )
    commune: str | None = Field(
        None,
        max_length=200,
        description="Commune de la personne : les formations proches d’elle viennent en premier. "
        + COMMUNE_DOC,
        examples=["35238"],
    )


class _Lien(BaseModel):
    code_rome: str
    libelle: str = Field(description="Intitulé ROME (formes masculine et féminine).")
    url: str


class _Item(BaseModel):
    code_ogr: str
    libelle: str
    nature: str = Field(description="`savoir_faire`, `savoir_etre` ou `savoir`.")
    coeur_metier: bool = Field(description="Le ROME le marque comme cœur du métier visé.")


class _Etape(_Lien):
    ordre: int = Field(description="Rang de ce métier dans la liste des mobilités du métier de départ.")


class CibleOut(_Lien):
    model_config = ConfigDict(title="Métier accessible", extra="allow")

    pas: int = Field(description="1 : accessible directement ; 2 : en passant par un métier de `via`.")
    ordre: int = Field(
        description="Rang dans la liste des mobilités ROME du métier précédent (1 = le premier)."
    )
    meme_domaine: bool = Field(description="Même domaine professionnel ROME que le métier de départ.")
    via: list[_Etape] = Field(
        description="Pour 2 pas : les métiers intermédiaires possibles, le meilleur d’abord."
    )
    competences_a_acquerir: list[_Item] = Field(
        description="Compétences et savoirs du métier visé que le métier de départ n’a pas (codes OGR du ROME), "
        "cœur de métier d’abord."
    )
    competences_en_commun: int
    certifications: list[dict[str, Any]] = Field(description="Les premières certifications qui y mènent.")
    certifications_total: int
    formations: list[dict[str, Any]] = Field(
        description="Les premières formations qui y mènent (les plus proches de `commune` d’abord)."
    )
    formations_total: int
    formations_recherche: str


class MobilitesOut(BaseModel):
    model_config = ConfigDict(title="Parcours de métiers")

    metier: dict[str, Any] = Field(description="Le métier de départ.")
    pas: int
    sans_contexte: list[dict[str, str]] = Field(description="Les contextes de travail écartés.")
    contextes_filtrables: list[dict[str, str]] = Field(
        description="Les conditions de travail du métier de départ, qu’on peut passer à `sans_contexte`."
    )
    commune: dict[str, str] | None
    cibles_ecartees: int = Field(description="Métiers laissés de côté à cause d’un contexte écarté.")
    un_pas: list[CibleOut] = Field(description="Métiers accessibles directement, dans l’ordre du ROME.")
    deux_pas: list[CibleOut] = Field(description="Métiers accessibles en deux pas.")


@router.get(
    "/{code_rome}/mobilites",
    response={200: MobilitesOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="Métiers proches et parcours",
    description="Les métiers accessibles depuis une fiche métier en un ou deux pas, d’après les mobilités du ROME "
    "4.0 (le ROME 4.0 ne distingue plus « proches » et « évolutions » et ne donne pas de conditions : seul l’ordre "
    "de la liste est publié), avec pour chacun les compétences à acquérir (celles du métier visé que le métier de "
    "départ n’a pas), les certifications et formations qui y mènent, et un filtre sur les contextes de travail. "
    "404 si le code est inconnu ; 400 si `pas`, `sans_contexte` ou `commune` est invalide.",
    operation_id="mobilites_metier",
)
def mobilites(
    request: HttpRequest,
    params: Query[MobilitesParams],
    code_rome: str = Path(..., description="Code ROME du métier de départ.", examples=["N1101"]),
) -> Any:
    from spro.search.parcours import parcours_detail

    if len(code_rome) > MAX_CODE_LENGTH or strip_control_characters(code_rome) != code_rome:
        raise ApiError(404, "Aucun objet ne porte ce code.", "not-found")
    resolution = api_commune(params.commune)
    contextes = tuple(strip_control_characters(c).strip()[:MAX_CODE_LENGTH] for c in params.sans_contexte)
    try:
        detail = parcours_detail(
            code_rome,
            pas=params.pas,
            sans_contextes=contextes,
            commune=resolution.model() if resolution else None,
        )
    except UnknownContexte as exc:
        raise ApiError(
            400,
            f"Contexte de travail inconnu : « {', '.join(exc.codes)} ».",
            "contexte-inconnu",
        ) from exc
    if detail is None:
        raise ApiError(404, f"Métier introuvable : « {code_rome} ».", "not-found")
    return detail
