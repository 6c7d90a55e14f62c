"""The public API, version 1: search and detail objects for partner portals (Region site, Info Jeunes, schools).

The endpoints are thin: the search service and the detail functions of the public pages do the work, so the API, the
pages and `spro recherche` give the same answers. This module only validates input, maps errors to
`{"detail", "code"}` and documents everything for the OpenAPI document.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Path, Query
from ninja.errors import HttpError, ValidationError

from spro.api.schemas import CertificationOut, FormationOut, MetierOut, MetierParams, SearchOut, SearchParams
from spro.core.api import (
    ApiError,
    ErrorOut,
    describe_validation_errors,
    error_response,
    strip_control_characters,
)

logger = logging.getLogger(__name__)

API_VERSION = "1"
MAX_CODE_LENGTH = 64

DESCRIPTION = """\
API publique et gratuite du service public régional de l’orientation : recherche de métiers, de formations et de
certifications, et fiches détaillées, pour les sites partenaires (site de la Région, Info Jeunes, établissements).

* **Lecture seule, anonyme** : aucune authentification. Un en-tête `X-Api-Key` facultatif identifie un partenaire
  pour le calcul des limites (sinon, l’adresse IP).
* **Erreurs** : toujours du JSON `{"detail": "…", "code": "…"}` avec un statut 4xx.
* **Limites** : un nombre de requêtes par minute et par client ; au-delà, 429 et en-tête `Retry-After`.
* **Cache** : `ETag` et `Cache-Control: public, max-age=300` ; renvoyez `If-None-Match` pour recevoir un 304.
* **CORS** : `Access-Control-Allow-Origin: *` (sans cookies) pour un usage depuis le navigateur.
* **Versions** : le chemin `/api/v1/` ne change que par ajout ; une rupture ouvrira `/api/v2/`.
"""

ERROR_RESPONSES: dict[int, Any] = {400: ErrorOut, 404: ErrorOut, 429: ErrorOut}

api = NinjaAPI(
    title="API du service public régional de l’orientation",
    version=API_VERSION,
    description=DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url=None,  # served by spro.api.views with caching headers
    docs_url=None,  # ninja's Swagger UI needs a CDN or ninja in INSTALLED_APPS; spro.api.views renders our own page
    openapi_extra={
        "info": {
            "contact": {"name": "Service public régional de l’orientation"},
            "license": {"name": "Licence Ouverte / Open Licence 2.0 (données) ; MIT (logiciel)"},
        },
        "tags": [
            {"name": "recherche", "description": "Recherche de métiers, formations et certifications."},
            {"name": "fiches", "description": "Fiches détaillées, par code."},
            {"name": "annuaire", "description": "Structures du réseau SPRO et leurs services."},
            {"name": "aides", "description": "Dispositifs et aides qui peuvent concerner une personne."},
            {
                "name": "indicateurs",
                "description": "Indicateurs publics du pilotage du SPRO (secret statistique).",
            },
            {
                "name": "reponse",
                "description": "Première réponse personnalisée à une demande écrite librement.",
            },
        ],
    },
)


# --- Errors: one shape everywhere ---------------------------------------------------------------------------------
@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail, problems = describe_validation_errors(list(exc.errors))
    return error_response(400, detail, "invalid-parameter", erreurs=problems)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(exc.status, exc.detail, exc.code, **getattr(exc, "extra", {}))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(404, "Ressource introuvable.", "not-found")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(exc.status_code, str(exc), "http-error")


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug, not bad input: logged with its traceback, answered in the API's shape."""
    logger.exception("Unexpected error in the public API (%s)", request.path)
    return error_response(500, "Erreur interne du serveur.", "internal-error")


# --- Search -------------------------------------------------------------------------------------------------------
@api.get(
    "/recherche",
    response={200: SearchOut, **ERROR_RESPONSES},
    tags=["recherche"],
    summary="Rechercher des métiers, formations et certifications",
    description="Recherche plein texte tolérante (accents, fautes de frappe, genre, abréviations, synonymes), "
    "avec filtres, facettes, tri et pagination. Mêmes paramètres et mêmes résultats que la page `/recherche` et "
    "la commande `spro recherche`. Le classement est neutre : aucun organisme n’est favorisé.",
    operation_id="rechercher",
)
def recherche(request: HttpRequest, params: Query[SearchParams]) -> Any:
    # Looked up at call time, so that tests can stand in for the service.
    from spro.search.params import InvalidQuery
    from spro.search.service import search

    try:
        result = search(params.q, **params.service_kwargs())
    except InvalidQuery as exc:
        raise ApiError(
            400, getattr(exc, "detail", None) or str(exc), getattr(exc, "code", None) or "invalid-query"
        ) from exc
    return result.as_dict()


# --- Detail objects -------------------------------------------------------------------------------------------------
def _clean_code(code: str) -> str:
    """Codes with control characters or absurd lengths cannot exist: 404 without touching the database."""
    if len(code) > MAX_CODE_LENGTH or strip_control_characters(code) != code or not code.strip():
        raise ApiError(404, "Aucun objet ne porte ce code.", "not-found")
    return code


def _found(obj: dict | None, what: str, code: str) -> dict:
    if obj is None:
        raise ApiError(404, f"{what} introuvable : « {code} ».", "not-found")
    return obj


@api.get(
    "/metiers/{code_rome}",
    response={200: MetierOut, **ERROR_RESPONSES},
    tags=["fiches"],
    summary="Fiche métier",
    description="Une fiche métier du ROME 4.0 : définition, accès, appellations, compétences et savoirs, "
    "contextes de travail, mobilités (métiers proches), formations et certifications qui y mènent, tension "
    "de recrutement (dans le bassin d’emploi de `commune` si elle est donnée). 404 si le code est inconnu.",
    operation_id="fiche_metier",
)
def metier(
    request: HttpRequest,
    params: Query[MetierParams],
    code_rome: str = Path(
        ..., description="Code ROME de la fiche métier (lettre + 4 chiffres).", examples=["J1506"]
    ),
) -> Any:
    from spro.referentials.geo.api import api_commune
    from spro.search.details import metier_detail

    code = _clean_code(code_rome)
    resolution = api_commune(
        params.commune
    )  # 400 commune-inconnue / commune-ambigue (with choix), as elsewhere
    detail = metier_detail(code, commune=resolution.code_insee) if resolution else metier_detail(code)
    return _found(detail, "Métier", code)


@api.get(
    "/formations/{id}",
    response={200: FormationOut, **ERROR_RESPONSES},
    tags=["fiches"],
    summary="Fiche formation",
    description="Une formation : `onisep-FOR.nnnn`, `parcoursup-<id>`, `master-<id>` ou `offre-<numéro LHÉO>`. "
    "404 si l’identifiant est inconnu.",
    operation_id="fiche_formation",
)
def formation(
    request: HttpRequest,
    id: str = Path(  # the public parameter name
        ...,
        description="Identifiant de la formation, tel que le champ `code` d’un résultat.",
        examples=["onisep-FOR.6177"],
    ),
) -> Any:
    from spro.search.details import formation_detail

    code = _clean_code(id)
    return _found(formation_detail(code), "Formation", code)


@api.get(
    "/certifications/{id}",
    response={200: CertificationOut, **ERROR_RESPONSES},
    tags=["fiches"],
    summary="Fiche certification",
    description="Une certification (diplôme, titre, CQP) : `certifinfo-<code Certif Info>`. "
    "404 si l’identifiant est inconnu.",
    operation_id="fiche_certification",
)
def certification(
    request: HttpRequest,
    id: str = Path(
        ...,
        description="Identifiant de la certification, tel que le champ `code` d’un résultat.",
        examples=["certifinfo-54913"],
    ),
) -> Any:
    from spro.search.details import certification_detail

    code = _clean_code(id)
    return _found(certification_detail(code), "Certification", code)


# --- Directory (spro.directory): structures of the SPRO network ------------------------------------------------------
def _register_directory() -> None:
    from spro.directory.api import router as directory_router

    api.add_router("/structures", directory_router)


_register_directory()


# --- Parcours de métiers (spro.search): GET /metiers/{code_rome}/mobilites -------------------------------------------
def _register_parcours() -> None:
    from spro.search.api import router as parcours_router

    api.add_router("/metiers", parcours_router)


_register_parcours()


# --- First personalised answer (spro.answer): POST /analyse ---------------------------------------------------------
def _register_answer() -> None:
    from spro.answer.api import router as answer_router

    api.add_router("/analyse", answer_router)


_register_answer()


# --- Schemes and aids (spro.aides): GET /aides ------------------------------------------------------------------------
def _register_aides() -> None:
    from spro.aides.api import router as aides_router

    api.add_router("/aides", aides_router)


_register_aides()


# --- Monitoring indicators (spro.monitoring): GET /indicateurs -----------------------------------------------------
def _register_monitoring() -> None:
    from spro.monitoring.api import router as monitoring_router

    api.add_router("/indicateurs", monitoring_router)


_register_monitoring()
