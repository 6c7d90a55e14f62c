"""The API's reading of a `commune` parameter: the one resolver, INSEE-compatible.

Why: partners have sent INSEE codes since the first version; people's tools send names and postal codes. A valid
INSEE code of a commune in force is taken as such (never read as a postal code); anything else is resolved as text.
Several communes that fit answer 400 `commune-ambigue` with the list (`choix`), none 400 `commune-inconnue`.
"""

from __future__ import annotations

from typing import Any

from spro.core.api import ApiError
from spro.referentials.geo.resolver import CommuneResolution, resolve

AMBIGUOUS = "commune-ambigue"
UNKNOWN = "commune-inconnue"
# How every endpoint that takes a commune documents it (OpenAPI descriptions).
COMMUNE_DOC = (
    "Code INSEE (lu en premier s’il est valide, ex. `35238` pour Rennes), ou nom, code postal ou les deux "
    "(`Lorient`, `56100`, `Lorient 56100`, `Saint-Malo (35)`). Plusieurs communes possibles : 400 "
    "`commune-ambigue` avec la liste `choix` ; aucune : 400 `commune-inconnue`."
)


def choices_payload(resolution: CommuneResolution) -> list[dict[str, str]]:
    return [ref.as_dict() for ref in resolution.choices]


def error_payload(resolution: CommuneResolution) -> tuple[str, str, dict[str, Any]]:
    """(detail, code, extra fields) of the 400 for a commune that could not be settled."""
    if resolution.ambiguous:
        return resolution.message, AMBIGUOUS, {"choix": choices_payload(resolution)}
    return resolution.message, UNKNOWN, {}


def api_commune(value: str | None) -> CommuneResolution | None:
    """The commune of an API parameter, or None when absent; `ApiError` 400 when it is ambiguous or unknown."""
    if value is None or not str(value).strip():
        return None
    resolution = resolve(value, insee_first=True)
    if resolution.commune is None:
        detail, code, extra = error_payload(resolution)
        raise ApiError(400, detail, code, **extra)
    return resolution
