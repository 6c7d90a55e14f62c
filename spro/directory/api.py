"""`GET /api/v1/structures` and `GET /api/v1/structures/{id}`: the directory's public endpoints (a ninja router).

Registered by `spro.api.api`; errors are raised as `spro.core.api.ApiError`, so they get the API's
`{"detail", "code"}` shape with a 4xx status.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Schema
from pydantic import Field, field_validator

from spro.core.api import ApiError, ErrorOut, strip_control_characters
from spro.directory import search, vocabularies
from spro.directory.models import Structure
from spro.directory.presenters import detail, summary
from spro.referentials.geo.api import COMMUNE_DOC, api_commune

PER_PAGE = 10
MAX_PAGE = 100

router = Router(tags=["annuaire"])


class StructuresParams(Schema):
    commune: str | None = Field(
        None,
        max_length=200,
        description="Commune autour de laquelle chercher. Sans commune, les structures sont listées par ordre "
        "alphabétique, sans distance. " + COMMUNE_DOC,
        examples=["35238", "Rennes", "35000"],
    )
    typologie: str | None = Field(
        None,
        max_length=30,
        description="Type de structure : codes data·inclusion (`ML`, `FT`, `CAP_EMPLOI`, `PIJ_BIJ`…) et codes SPRO "
        "(`CIO`, `APEC`, `TRANSITIONS_PRO`, `CEP`, `SCUIO`, `PSAD`, `DAVA`).",
        examples=["CIO"],
    )
    rayon_km: float = Field(
        search.DEFAULT_RADIUS_KM,
        gt=0,
        le=search.MAX_RADIUS_KM,
        allow_inf_nan=False,
        description=f"Rayon autour de la commune, en km (au plus {search.MAX_RADIUS_KM:g}).",
    )
    age: int | None = Field(
        None, ge=0, le=130, description="Âge de la personne : garde les structures qui l’accueillent."
    )
    public: str | None = Field(
        None,
        max_length=60,
        description="Public data·inclusion (`jeunes`, `demandeurs-emploi`, `personnes-en-situation-de-handicap`…) : "
        "garde les structures qui l’accueillent (ou tous publics, ou sans précision).",
        examples=["jeunes"],
    )
    ouvert: bool = Field(False, description="Ne garder que les structures ouvertes en ce moment.")
    competence: bool = Field(
        True, description="Ne garder que les structures dont la zone de compétence couvre la commune."
    )
    page: int = Field(
        1, ge=1, le=MAX_PAGE, description=f"Numéro de page (10 résultats par page), de 1 à {MAX_PAGE}."
    )

    @field_validator("commune")
    @classmethod
    def _clean_commune(cls, value: str | None) -> str | None:
        return strip_control_characters(value).strip() if value else value


class FermetureEnCoursOut(Schema):
    debut: str = Field(description="Premier jour de fermeture (AAAA-MM-JJ).")
    fin: str = Field(description="Dernier jour de fermeture (AAAA-MM-JJ).")
    motif: str = ""
    en_cours: bool = Field(description="Vrai si la structure est fermée aujourd’hui.")
    texte: str = Field(description="« Fermé temporairement du 30 novembre au 6 décembre 2026 ».")


class StructureHitOut(Schema):
    id: str = Field(description="Identifiant data·inclusion (`source--identifiant`).")
    nom: str
    typologie: str | None
    typologie_libelle: str | None
    commune: str | None
    code_insee: str | None
    latitude: float | None
    longitude: float | None
    distance_km: float | None = Field(description="Distance à vol d’oiseau depuis la commune, en km.")
    url: str = Field(description="Chemin de la fiche sur le site.")
    demo: bool = Field(description="Vrai pour les données de démonstration.")
    ferme_temporairement: bool = Field(False, description="Fermée temporairement aujourd’hui.")
    fermeture: FermetureEnCoursOut | None = Field(
        None, description="La fermeture temporaire en cours, ou la prochaine dans les deux semaines."
    )


class StructuresOut(Schema):
    total: int
    page: int
    commune: str | None
    rayon_km: float | None
    resultats: list[StructureHitOut]


class HoraireOut(Schema):
    jour: str = Field(description="Jour de la semaine (ou « jours fériés »).")
    heures: str = Field(description="Plages d’ouverture, ou « fermé ».")


class FermetureOut(Schema):
    debut: str = Field(description="Premier jour de fermeture (AAAA-MM-JJ).")
    fin: str = Field(description="Dernier jour de fermeture (AAAA-MM-JJ).")
    motif: str = Field("", description="Motif de la fermeture.")


class ServiceOut(Schema):
    id: str = Field(description="Identifiant data·inclusion du service.")
    nom: str
    description: str
    type: str | None = Field(description="Type de service (libellé data·inclusion).")
    thematiques: list[str] = Field(description="Thématiques data·inclusion (libellés).")
    publics: list[str] = Field(description="Publics (libellés).")
    age_min: int | None
    age_max: int | None
    frais: str | None = Field(description="`gratuit` ou `payant`.")
    modes_accueil: list[str]
    modes_mobilisation: list[str]


class StructureOut(StructureHitOut):
    """The fiche of a structure (same content as the page `/structures/{id}`)."""

    description: str | None
    siret: str | None
    adresse: str | None
    complement_adresse: str | None
    code_postal: str | None
    telephone: str | None
    courriel: str | None
    site_web: str | None
    horaires_accueil: str | None = Field(description="Horaires au format OpenStreetMap `opening_hours`.")
    horaires: list[HoraireOut] = Field(
        description="Horaires lus, jour par jour (vide si non pris en charge)."
    )
    horaires_non_lus: str | None = Field(
        description="Pourquoi les horaires n’ont pas pu être lus, le cas échéant."
    )
    ouvert_maintenant: bool | None = Field(
        description="Ouvert en ce moment (null si les horaires sont inconnus)."
    )
    fermetures_temporaires: list[FermetureOut] = Field(
        description="Fermetures temporaires en cours ou à venir."
    )
    canaux: list[str] = Field(description="Canaux de contact : sur place, téléphone, visio, courriel, chat.")
    langues: list[str] = Field(description="Langues parlées (dont la langue des signes française).")
    publics: list[str]
    age_min: int | None
    age_max: int | None
    accessibilite_pmr: bool | None = Field(description="Accessible en fauteuil roulant (null si inconnu).")
    accessibilite_lieu: str | None = Field(description="Lien vers la fiche Acceslibre.")
    accessibilite_precisions: str | None
    zone_competence: list[str] = Field(description="Territoires couverts (départements, EPCI, communes).")
    reseaux_porteurs: list[str]
    date_maj: str
    date_verification: str | None
    verification_perimee: bool = Field(
        description="Vrai si la fiche n’a pas été vérifiée depuis plus de six mois."
    )
    services: list[ServiceOut]


@router.get(
    "",
    response={200: StructuresOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="Chercher des structures autour d’une commune",
    description="Les structures du réseau (CIO, Missions locales, France Travail, Cap emploi…) les plus proches "
    "d’une commune, dans un rayon, dont la zone de compétence couvre la commune. Ordre neutre : distance, puis "
    "nom. Mêmes résultats que la page `/structures`.",
    operation_id="chercher_structures",
)
def structures(request: HttpRequest, params: Query[StructuresParams]) -> Any:
    if params.typologie and params.typologie not in vocabularies.typologies():
        raise ApiError(400, f"Typologie inconnue : « {params.typologie} ».", "unknown-typologie")
    if params.public and params.public not in vocabularies.publics():
        raise ApiError(400, f"Public inconnu : « {params.public} ».", "unknown-public")
    offset = (params.page - 1) * PER_PAGE
    commune = api_commune(params.commune)  # name, postal code or INSEE code: 400 when ambiguous or unknown
    try:
        if commune is not None:
            results = search.nearest(
                commune=commune.code_insee,
                rayon_km=params.rayon_km,
                typologie=params.typologie,
                age=params.age,
                public=params.public,
                ouvert_le=timezone.localtime() if params.ouvert else None,
                competence=params.competence,
                limit=PER_PAGE,
                offset=offset,
            )
        else:
            results = search.listing(typologie=params.typologie, limit=PER_PAGE, offset=offset)
    except search.SearchError as exc:
        raise ApiError(400, exc.detail, exc.code) from exc
    return {
        "total": results.total,
        "page": params.page,
        "commune": commune.code_insee if commune is not None else None,
        "rayon_km": params.rayon_km if commune is not None else None,
        "resultats": [summary(hit.structure, hit.distance_km) for hit in results.hits],
    }


@router.get(
    "/{path:id}",
    response={200: StructureOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="Fiche d’une structure",
    description="Services, horaires, canaux, langues, accessibilité, zone de compétence d’une structure.",
    operation_id="fiche_structure",
)
def structure(
    request: HttpRequest,
    id: str = Path(..., description="Identifiant data·inclusion de la structure."),
) -> Any:
    found = None
    if len(id) <= 200 and strip_control_characters(id) == id:
        found = Structure.objects.active().select_related("commune").filter(di_id=id).first()
    if found is None:
        raise ApiError(404, f"Structure introuvable : « {id[:80]} ».", "not-found")
    return detail(found)
