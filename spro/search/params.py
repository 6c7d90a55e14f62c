"""The parameters of a search and their limits, checked in one place for the `/recherche` page, the API
(`GET /api/v1/recherche`) and `spro recherche`: all three call `spro.search.service.search`, which starts with
`validate()`. The API's schema (spro/api/schemas.py) documents and pre-checks the same limits, read from here.

Limits (docs/search.md, docs/api.md): query ≤ 500 characters, page 1 … 100, par_page 1 … 50, rayon_km 0 < x ≤ 200.
Each refusal is an `InvalidQuery(detail, code)`: a French sentence and a stable code (API 400 `{"detail", "code"}`,
the page's error message, the command's exit status 2).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from spro.core.codes import INSEE_COMMUNE
from spro.core.vocabularies import document_types

MAX_QUERY_CHARS = 500
MAX_PAGE = 100
MAX_PAR_PAGE = 50
DEFAULT_PAR_PAGE = 10
MAX_RAYON_KM = 200
DEFAULT_RAYON_KM = 30.0

#: document type → facet label
TYPES = document_types.PLURAL_LABELS
MODALITES = {
    "initiale": "Formation initiale",
    "apprentissage": "Apprentissage, alternance",
    "continue": "Formation continue",
    "distance": "À distance",
}
NIVEAUX = {
    "3": "Niveau 3 (CAP, BEP)",
    "4": "Niveau 4 (bac, BP)",
    "5": "Niveau 5 (bac + 2 : BTS…)",
    "6": "Niveau 6 (bac + 3 : licence, BUT…)",
    "7": "Niveau 7 (bac + 5 : master…)",
    "8": "Niveau 8 (doctorat)",
}
PUBLICS = {
    "collegien": "Collégiens",
    "lyceen": "Lycéens",
    "etudiant": "Étudiants",
    "salarie": "Salariés",
    "demandeur-emploi": "Demandeurs d'emploi",
    "independant": "Indépendants",
}
TRIS = ("pertinence", "distance")

#: the French messages of the limits (the page shows them as they are)
PAGE_MESSAGE = f"Le numéro de page doit être un nombre entier entre 1 et {MAX_PAGE}."
PAR_PAGE_MESSAGE = (
    f"Le nombre de résultats par page (par_page) doit être un nombre entier entre 1 et {MAX_PAR_PAGE}."
)
RAYON_MESSAGE = (
    f"Le rayon doit être un nombre de kilomètres plus grand que 0 et au plus {MAX_RAYON_KM:g}, "
    "par exemple 20."
)

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CODE = re.compile(r"^[0-9A-Za-z]{1,10}$")
_PUBLIC = re.compile(r"^[a-z0-9-]{1,40}$")


class InvalidQuery(Exception):
    """Bad input: HTTP 400 {"detail", "code"}; the page's error message; CLI exit 2 with the message."""

    def __init__(self, detail: str, code: str):
        super().__init__(detail)
        self.detail = detail
        self.code = code


@dataclass(frozen=True)
class SearchParams:
    """A search's parameters once checked: empty values are None, numbers are numbers."""

    q: str
    type: str | None = None
    niveau: str | None = None
    modalite: str | None = None
    commune: str | None = None  # INSEE code
    rayon_km: float | None = None  # None: no radius given (DEFAULT_RAYON_KM applies around a commune)
    departement: str | None = None
    region: str | None = None
    public: str | None = None
    domaine: str | None = None
    tri: str = "pertinence"
    page: int = 1
    par_page: int = DEFAULT_PAR_PAGE
    #: the `/recherche` page's default territory (settings.SPRO_REGION_CODE, when the person chose none): places
    #: outside this région are left out, documents without a place (métiers, certifications…) stay. Not an API
    #: parameter: the API and `spro recherche` search the whole of France unless given a territory.
    region_par_defaut: str | None = None


def validate(
    q: Any,
    *,
    type: Any = None,  # the public parameter name of the contract
    niveau: Any = None,
    modalite: Any = None,
    commune: Any = None,
    rayon_km: Any = None,
    departement: Any = None,
    region: Any = None,
    public: Any = None,
    domaine: Any = None,
    tri: Any = "pertinence",
    page: Any = 1,
    par_page: Any = DEFAULT_PAR_PAGE,
    region_par_defaut: Any = None,
) -> SearchParams:
    """The checked parameters, or `InvalidQuery` for the first one that breaks its rule."""
    text = _query(q)
    type = _choice(
        type, TYPES, f"type inconnu : {str(type)[:40]!r} (metier, formation, certification)", "type"
    )
    modalite = _choice(modalite, MODALITES, f"modalité inconnue : {str(modalite)[:40]!r}", "modalite")
    if tri not in TRIS:
        raise InvalidQuery(f"tri inconnu : {str(tri)[:40]!r} (pertinence, distance)", "invalid-tri")
    page, par_page = _pages(page, par_page)
    codes = {
        "niveau": _code(niveau, "niveau"),
        "departement": _code(departement, "departement"),
        "region": _code(region, "region"),
        "domaine": _code(domaine, "domaine"),
        "public": _code(public, "public", _PUBLIC),
        "region_par_defaut": _code(region_par_defaut, "region_par_defaut"),
    }
    commune = _code(commune, "commune", INSEE_COMMUNE)
    rayon_km = _radius(rayon_km, commune)
    if tri == "distance" and not commune:
        raise InvalidQuery("le tri par distance demande une commune", "distance-without-commune")
    return SearchParams(
        q=text,
        type=type,
        modalite=modalite,
        commune=commune,
        rayon_km=rayon_km,
        tri=tri,
        page=page,
        par_page=par_page,
        **codes,
    )


def _query(q: Any) -> str:
    """The query without control, surrogate or private-use characters; too long is refused."""
    raw = "" if q is None else str(q)
    if len(raw) > MAX_QUERY_CHARS:
        raise InvalidQuery(
            f"la recherche dépasse {MAX_QUERY_CHARS} caractères ({len(raw)})", "query-too-long"
        )
    text = _CONTROL.sub(" ", raw)
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cs", "Co")).strip()


def _choice(value: Any, allowed: dict[str, str], detail: str, name: str) -> str | None:
    if value in (None, ""):
        return None
    if value not in allowed:
        raise InvalidQuery(detail, f"invalid-{name}")
    return value


def _code(value: Any, name: str, pattern: re.Pattern = _CODE) -> str | None:
    if value in (None, ""):
        return None
    if not pattern.match(value):
        raise InvalidQuery(f"valeur invalide pour {name} : {value[:40]!r}", f"invalid-{name}")
    return value


def _pages(page: Any, par_page: Any) -> tuple[int, int]:
    try:
        page, par_page = int(page), int(par_page)
    except (TypeError, ValueError):
        raise InvalidQuery("page et par_page doivent être des entiers", "invalid-page") from None
    if not 1 <= page <= MAX_PAGE:
        raise InvalidQuery(PAGE_MESSAGE, "invalid-page")
    if not 1 <= par_page <= MAX_PAR_PAGE:
        raise InvalidQuery(PAR_PAGE_MESSAGE, "invalid-page")
    return page, par_page


def _radius(rayon_km: Any, commune: str | None) -> float | None:
    if rayon_km is None:
        return None
    try:
        rayon_km = float(rayon_km)
    except (TypeError, ValueError):
        raise InvalidQuery(RAYON_MESSAGE, "invalid-rayon") from None
    if not 0 < rayon_km <= MAX_RAYON_KM:  # NaN fails every comparison
        raise InvalidQuery(RAYON_MESSAGE, "invalid-rayon")
    if not commune:
        raise InvalidQuery("rayon_km demande une commune", "rayon-without-commune")
    return rayon_km
