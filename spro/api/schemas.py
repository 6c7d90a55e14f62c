"""Pydantic schemas of the public API: they are the OpenAPI document partners read, so every field says what it is.

Query parameters are constrained here (lengths, patterns, ranges) so that hostile input is refused with a 400 before
it reaches the search service; the service still checks what only it can know (unknown commune, empty query).
"""

from __future__ import annotations

from typing import Any, Literal

from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field, field_validator

from spro.core.api import strip_control_characters
from spro.core.vocabularies import document_types
from spro.referentials.geo.api import COMMUNE_DOC

# The search's parameter module owns the vocabularies and the limits; the API documents and checks the same ones
# (the service checks them again for the page and the command line: spro/search/params.py).
from spro.search import params
from spro.search.params import MODALITES, NIVEAUX, PUBLICS, TYPES

MAX_QUERY_LENGTH = params.MAX_QUERY_CHARS
MAX_PAGE = params.MAX_PAGE
MAX_PER_PAGE = params.MAX_PAR_PAGE
MAX_RAYON_KM = params.MAX_RAYON_KM

ResultType = Literal[document_types.VALUES]  # type: ignore[valid-type]
SearchType = Literal[tuple(TYPES)]  # type: ignore[valid-type]
Niveau = Literal[tuple(NIVEAUX)]  # type: ignore[valid-type]
Modalite = Literal[tuple(MODALITES)]  # type: ignore[valid-type]
Public = Literal[tuple(PUBLICS)]  # type: ignore[valid-type]


def _values(vocabulary: dict[str, str]) -> str:
    return " ; ".join(f"`{code}` ({label})" for code, label in vocabulary.items())


class SearchParams(Schema):
    """Query-string parameters of `GET /recherche` (the same as the `/recherche` page and `spro recherche`)."""

    q: str = Field(
        "",
        max_length=MAX_QUERY_LENGTH,
        description="Ce que la personne cherche, en langage courant : accents, fautes de frappe, féminin ou "
        "masculin, abréviations (BTS, CAP, CPF…) et mots familiers sont tolérés. Les caractères de contrôle sont "
        f"ignorés. {MAX_QUERY_LENGTH} caractères au plus.",
        examples=["infirmiere", "cap patisserie", "developpeur web alternance"],
    )
    type: SearchType | None = Field(
        None, description="Restreint les résultats à un type : " + _values(TYPES) + "."
    )
    commune: str | None = Field(
        None,
        max_length=200,
        description="Commune autour de laquelle chercher (avec `rayon_km` et le tri par distance). "
        + COMMUNE_DOC,
        examples=["35238", "Lorient 56100"],
    )
    rayon_km: float | None = Field(
        None,
        gt=0,
        le=MAX_RAYON_KM,
        allow_inf_nan=False,
        description=f"Rayon de recherche autour de `commune`, en kilomètres (au plus {MAX_RAYON_KM:g}).",
        examples=[30],
    )
    niveau: Niveau | None = Field(
        None,
        description="Niveau de qualification (cadre national des certifications) : " + _values(NIVEAUX) + ".",
    )
    modalite: Modalite | None = Field(None, description="Modalité de formation : " + _values(MODALITES) + ".")
    departement: str | None = Field(
        None,
        pattern=r"^(?:\d{2,3}|2[ABab])$",
        description="Code du département, ex. `35` ou `2A`.",
        examples=["35"],
    )
    region: str | None = Field(
        None, pattern=r"^\d{2}$", description="Code INSEE de la région, ex. `53` (Bretagne).", examples=["53"]
    )
    public: Public | None = Field(None, description="Public visé : " + _values(PUBLICS) + ".")
    domaine: str | None = Field(
        None,
        pattern=r"^[0-9A-Za-z]{1,10}$",
        description="Domaine professionnel du ROME : grand domaine (une lettre, ex. `J` pour la santé) ou domaine "
        "(ex. `J15`).",
        examples=["J"],
    )
    tri: Literal["pertinence", "distance"] = Field(
        "pertinence",
        description="Ordre des résultats : `pertinence` (par défaut, classement neutre) ou `distance` "
        "(nécessite `commune`).",
    )
    page: int = Field(1, ge=1, le=MAX_PAGE, description=f"Numéro de page, de 1 à {MAX_PAGE}.")
    par_page: int = Field(
        10, ge=1, le=MAX_PER_PAGE, description=f"Nombre de résultats par page, de 1 à {MAX_PER_PAGE}."
    )

    @field_validator("q", mode="after")
    @classmethod
    def _clean_text(cls, value: str) -> str:
        return strip_control_characters(value).strip()

    @field_validator("departement", mode="after")
    @classmethod
    def _upper_code(cls, value: str | None) -> str | None:
        return value.upper() if value else value

    @field_validator("commune", mode="after")
    @classmethod
    def _clean_commune(cls, value: str | None) -> str | None:
        return strip_control_characters(value).strip() if value else value

    def service_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `spro.search.service.search`; the commune read by the one resolver (its INSEE
        code), `ApiError` 400 `commune-ambigue` / `commune-inconnue` otherwise."""
        from spro.referentials.geo.api import api_commune

        kwargs = self.model_dump(exclude={"q"})
        resolution = api_commune(self.commune)
        kwargs["commune"] = resolution.code_insee if resolution is not None else None
        return kwargs


class MetierParams(Schema):
    """Query-string parameters of `GET /metiers/{code_rome}`."""

    commune: str | None = Field(
        None,
        max_length=200,
        description="Commune de la personne : la fiche indique alors la tension de recrutement dans son bassin "
        "d’emploi. " + COMMUNE_DOC,
        examples=["35238", "Brest"],
    )


class HitOut(BaseModel):
    """One search result."""

    model_config = ConfigDict(
        title="Résultat",
        json_schema_extra={
            "examples": [
                {
                    "type": "metier",
                    "code": "J1506",
                    "titre": "Infirmier / Infirmière en soins généraux",
                    "url": "/metiers/J1506",
                    "score": 12.3,
                    "sous_titre": "",
                    "distance_km": None,
                }
            ]
        },
    )

    type: ResultType = Field(description="Type de l’objet trouvé.")
    code: str = Field(
        description="Code ROME pour un métier, identifiant stable de la plateforme sinon "
        "(`onisep-FOR.1234`, `parcoursup-…`, `master-…`, `offre-…`, `certifinfo-…`).",
        examples=["J1506"],
    )
    titre: str = Field(description="Intitulé (les deux formes, féminine et masculine, pour un métier).")
    url: str = Field(
        description="Chemin de la page publique correspondante sur ce site.", examples=["/metiers/J1506"]
    )
    score: float = Field(
        description="Score de pertinence (plus grand = plus pertinent ; comparable dans une réponse)."
    )
    sous_titre: str = Field(
        "", description="Précision : organisme et commune d’une offre, niveau d’un diplôme…"
    )
    distance_km: float | None = Field(
        None, description="Distance en kilomètres à la commune demandée, quand elle est connue."
    )


class FacetValueOut(BaseModel):
    """One value of a facet, with the number of results that have it."""

    model_config = ConfigDict(title="Valeur de facette")

    valeur: str = Field(description="Valeur à passer dans le paramètre de filtre correspondant.")
    libelle: str = Field(description="Libellé à afficher.")
    nombre: int = Field(ge=0, description="Nombre de résultats qui ont cette valeur.")


class SearchOut(BaseModel):
    """A page of search results with facets."""

    model_config = ConfigDict(
        title="Résultats de recherche",
        json_schema_extra={
            "examples": [
                {
                    "q": "infirmiere",
                    "total": 42,
                    "resultats": [
                        {
                            "type": "metier",
                            "code": "J1506",
                            "titre": "Infirmier / Infirmière en soins généraux",
                            "url": "/metiers/J1506",
                            "score": 12.3,
                            "sous_titre": "",
                            "distance_km": None,
                        }
                    ],
                    "page": 1,
                    "par_page": 10,
                    "facettes": {"type": [{"valeur": "metier", "libelle": "Métiers", "nombre": 12}]},
                    "suggestion": None,
                }
            ]
        },
    )

    q: str = Field(description="La requête, telle que reçue (après suppression des caractères de contrôle).")
    total: int = Field(ge=0, description="Nombre total de résultats (toutes pages).")
    resultats: list[HitOut] = Field(
        description="Les résultats de la page, du plus pertinent au moins pertinent."
    )
    page: int = Field(ge=1, description="Numéro de la page renvoyée.")
    par_page: int = Field(ge=1, description="Nombre de résultats par page.")
    facettes: dict[str, list[FacetValueOut]] = Field(
        default_factory=dict,
        description="Pour chaque filtre (`type`, `niveau`, `modalite`, `departement`…), les valeurs présentes dans "
        "les résultats et leur nombre.",
    )
    suggestion: str | None = Field(
        None,
        description="« Vouliez-vous dire… » : une requête proche, proposée quand il n’y a aucun résultat.",
    )

    @field_validator("facettes", mode="before")
    @classmethod
    def _facets_from_tuples(cls, value: Any) -> Any:
        """The service gives facets as (value, label, count) tuples; the API names the three parts."""
        if not isinstance(value, dict):
            return value
        converted: dict[str, Any] = {}
        for name, items in value.items():
            converted[name] = [
                {"valeur": item[0], "libelle": item[1], "nombre": item[2]}
                if isinstance(item, list | tuple)
                else item
                for item in items
            ]
        return converted


class _DetailOut(BaseModel):
    """Detail objects come from the functions that render the public pages; keys not declared here are kept as is.

    (A plain pydantic model, not a ninja Schema: ninja's Schema reads attributes and would drop the undeclared keys.)"""

    model_config = ConfigDict(extra="allow")


Json = dict[str, Any]


class MetierOut(_DetailOut):
    """A fiche métier (ROME 4.0), exactly as the public page `/metiers/{code_rome}` shows it."""

    model_config = ConfigDict(
        extra="allow",
        title="Fiche métier",
        json_schema_extra={
            "examples": [
                {
                    "code_rome": "J1506",
                    "libelle": "Infirmier / Infirmière en soins généraux",
                    "masculin": "Infirmier en soins généraux",
                    "feminin": "Infirmière en soins généraux",
                    "url": "/metiers/J1506",
                    "appellations": [
                        {
                            "code_ogr": "38565",
                            "libelle": "Infirmier / Infirmière",
                            "masculin": "Infirmier",
                            "feminin": "Infirmière",
                            "principale": True,
                            "peu_usite": False,
                        }
                    ],
                }
            ]
        },
    )

    code_rome: str = Field(description="Code ROME de la fiche.", examples=["J1506"])
    libelle: str = Field(description="Intitulé officiel (forme « Masculin / Féminin »).")
    masculin: str = Field("", description="Intitulé au masculin.")
    feminin: str = Field("", description="Intitulé au féminin.")
    url: str = Field(description="Chemin de la page publique.", examples=["/metiers/J1506"])
    domaine: Json | None = Field(None, description="Domaine professionnel et grand domaine du ROME.")
    definition: Json | None = Field(None, description="`introduction` (une phrase) et `activites` (liste).")
    acces_metier: list[str] = Field(default_factory=list, description="Conditions d’accès au métier.")
    appellations: list[Json] = Field(default_factory=list, description="Appellations (intitulés d’emploi).")
    competences: list[Json] = Field(
        default_factory=list, description="Savoir-faire, savoir-être et savoirs, regroupés par catégorie."
    )
    contextes_travail: list[Json] = Field(default_factory=list, description="Contextes de travail, par type.")
    riasec: Json | None = Field(None, description="Profil RIASEC (intérêts) majeur et mineur.")
    centres_interet: list[Json] = Field(default_factory=list, description="Centres d’intérêt associés.")
    secteurs_activite: list[str] = Field(default_factory=list, description="Secteurs d’activité.")
    mobilites: list[Json] = Field(default_factory=list, description="Métiers proches (mobilités du ROME).")
    certifications: list[Json] = Field(
        default_factory=list, description="Certifications qui mènent au métier."
    )
    certifications_total: int = Field(0, ge=0, description="Nombre total de certifications liées.")
    formations: list[Json] = Field(default_factory=list, description="Formations qui mènent au métier.")
    formations_total: int = Field(0, ge=0, description="Nombre total de formations liées.")
    tension: Json | None = Field(
        None,
        description="Tension de recrutement : résumé national et, avec `commune`, dans le bassin d’emploi.",
    )
    transitions: Json | None = Field(
        None, description="Métier de la transition écologique, numérique, démographique."
    )
    emploi_reglemente: bool | None = Field(None, description="Profession réglementée.")
    emploi_cadre: bool | None = Field(None, description="Emploi de cadre.")


class FormationOut(_DetailOut):
    """A formation (ONISEP, Parcoursup, master or continuing-education offer), as its public page shows it."""

    model_config = ConfigDict(
        extra="allow",
        title="Formation",
        json_schema_extra={
            "examples": [
                {
                    "id": "onisep-FOR.6177",
                    "type": "formation",
                    "url": "/formations/onisep-FOR.6177",
                    "source": "onisep",
                    "titre": "BTS services informatiques aux organisations",
                    "sous_titre": "BTS",
                }
            ]
        },
    )

    id: str = Field(description="Identifiant stable de la plateforme.", examples=["onisep-FOR.6177"])
    type: str = Field("formation", description="Toujours `formation`.")
    url: str = Field(description="Chemin de la page publique.")
    source: str = Field("", description="`onisep`, `parcoursup`, `master` ou `offre`.")
    source_libelle: str = Field("", description="Nom de la source des données.")
    titre: str = Field("", description="Intitulé de la formation.")
    sous_titre: str = Field("", description="Type de diplôme, établissement ou organisme.")
    champs: list[Json] = Field(
        default_factory=list, description="Caractéristiques (durée, niveau, modalités…)."
    )
    certifications: list[Json] = Field(default_factory=list, description="Certifications préparées.")
    metiers: list[Json] = Field(default_factory=list, description="Métiers visés.")
    lieux: list[Json] = Field(default_factory=list, description="Lieux et sessions de formation.")


class CertificationOut(_DetailOut):
    """A certification (diploma, title or CQP, from Certif Info), as its public page shows it."""

    model_config = ConfigDict(
        extra="allow",
        title="Certification",
        json_schema_extra={
            "examples": [
                {
                    "id": "certifinfo-54913",
                    "code": "54913",
                    "libelle": "CAP pâtissier",
                    "url": "/certifications/certifinfo-54913",
                    "niveau_europeen": 3,
                }
            ]
        },
    )

    id: str = Field(description="Identifiant stable de la plateforme.", examples=["certifinfo-54913"])
    code: str = Field(description="Code Certif Info.")
    libelle: str = Field(description="Intitulé de la certification.")
    url: str = Field(description="Chemin de la page publique.")
    niveau_europeen: int | None = Field(
        None, description="Niveau du cadre européen des certifications (1 à 8)."
    )
    metiers: list[Json] = Field(
        default_factory=list, description="Métiers auxquels la certification prépare."
    )
    formations: list[Json] = Field(default_factory=list, description="Formations qui y préparent.")
    formations_total: int = Field(0, ge=0, description="Nombre total de formations liées.")
