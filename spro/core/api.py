"""What every app's API endpoints share: one error shape, `{"detail": "...", "code": "..."}` with a 4xx status.

Why in core: the directory, the answer and the commune parameter (referentials) each define endpoints, and `spro.api`
only assembles their routers; the shape they raise and document must not live above them.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.http import JsonResponse
from pydantic import BaseModel, ConfigDict, Field

# Field names as partners see them in the query string, for messages that point at the right parameter.
_PYDANTIC_MESSAGES = {
    "string_too_long": "est trop long ({max_length} caractères au plus)",
    "string_pattern_mismatch": "n’a pas le format attendu",
    "greater_than": "doit être supérieur à {gt}",
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "less_than": "doit être inférieur à {lt}",
    "less_than_equal": "doit être inférieur ou égal à {le}",
    "int_parsing": "doit être un nombre entier",
    "int_from_float": "doit être un nombre entier",
    "float_parsing": "doit être un nombre",
    "finite_number": "doit être un nombre fini",
    "literal_error": "doit valoir {expected}",
    "enum": "doit valoir {expected}",
    "missing": "est obligatoire",
    "string_type": "doit être une chaîne de caractères",
}


class ApiError(Exception):
    """Raised by endpoints; turned into the JSON error shape by the API's exception handler."""

    def __init__(self, status: int, detail: str, code: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code
        self.extra = extra  # more fields of the JSON body (e.g. `choix` for an ambiguous commune)


def error_response(status: int, detail: str, code: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code, **extra}, status=status)


def describe_validation_errors(errors: list[dict[str, Any]]) -> tuple[str, list[dict[str, str]]]:
    """A French sentence for the first problem, and one `{"parametre", "message"}` entry per problem."""
    described: list[dict[str, str]] = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in {"query", "path", "params", "body"}]
        field = loc[-1] if loc else "requête"
        template = _PYDANTIC_MESSAGES.get(str(error.get("type", "")))
        context = error.get("ctx") or {}
        if template:
            try:
                message = template.format(**{key: str(value) for key, value in context.items()})
            except (KeyError, IndexError):
                message = str(error.get("msg", "est invalide"))
        else:
            message = "est invalide"
        described.append({"parametre": field, "message": f"Le paramètre « {field} » {message}."})
    if not described:
        return "Paramètres invalides.", described
    return described[0]["message"], described


def strip_control_characters(value: str) -> str:
    """Replace control, format, surrogate and private-use characters by spaces: no search backend should see them."""
    return "".join(" " if unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co"} else char for char in value)


class ErrorOut(BaseModel):
    """Every error of the API has this shape, whatever its status (400, 404, 405, 429)."""

    model_config = ConfigDict(
        title="Erreur",
        json_schema_extra={
            "examples": [{"detail": "Le paramètre « page » doit être ≥ 1.", "code": "invalid-parameter"}]
        },
    )

    detail: str = Field(description="Message lisible (en français) qui explique l’erreur.")
    code: str = Field(
        description="Code stable, à tester dans les programmes : `invalid-parameter`, `invalid-query`, "
        "`not-found`, `method-not-allowed`, `rate-limited`, ou un code de la recherche "
        "(`query-too-long`, `commune-inconnue`, `rayon-without-commune`, `distance-without-commune`…).",
        examples=["invalid-parameter"],
    )
