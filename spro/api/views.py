"""Django views around the ninja API: the OpenAPI document, the documentation page, and the wrapper that gives every
`/api/v1/` URL the same rate limit, caching headers, HEAD support and JSON errors."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from spro.api import bodies, caching, ratelimit
from spro.api.api import API_VERSION, api
from spro.api.middleware import POST_PATHS  # the only endpoints that take a POST (never cached)
from spro.api.schemas import MAX_PAGE, MAX_PER_PAGE, MAX_QUERY_LENGTH
from spro.core.api import ApiError, error_response

API_ROOT = "/api/v1/"
SAFE_METHODS = {"GET", "HEAD"}


def public_endpoint(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Rate limit (and refuse unknown API keys), bound POST bodies, answer HEAD like GET, turn 405 into the JSON
    error shape, add ETag/Cache-Control (304)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if len(request.META.get(ratelimit.API_KEY_HEADER, "")) > ratelimit.MAX_API_KEY_LENGTH:
            return error_response(
                400,
                f"L’en-tête « X-Api-Key » est trop long ({ratelimit.MAX_API_KEY_LENGTH} caractères au plus).",
                "invalid-parameter",
            )
        client = ratelimit.identify(request)
        decision = ratelimit.check(request, client=client)
        if not decision.allowed:
            response = error_response(
                429,
                f"Trop de requêtes : {decision.limit} au plus par période. Réessayez dans {decision.retry_after} s.",
                "rate-limited",
            )
            response["Retry-After"] = str(decision.retry_after)
            response["Cache-Control"] = "no-store"
            _rate_headers(response, decision)
            return response
        is_post = request.method == "POST" and request.path in POST_PATHS
        if not is_post and request.method not in SAFE_METHODS:
            response = error_response(
                405, "Méthode non autorisée : ce chemin se lit en GET (ou HEAD).", "method-not-allowed"
            )
            response["Allow"] = "GET, HEAD, OPTIONS"
            return response
        if (
            request.path in POST_PATHS and not is_post
        ):  # before the key check: a wrong method is a 405 for all
            response = error_response(405, "Méthode non autorisée : utilisez POST.", "method-not-allowed")
            response["Allow"] = "POST"
            return response
        if client.unknown_key:
            response = error_response(
                401,
                "Clé d’API inconnue : envoyez une clé fournie par l’exploitant, ou aucune clé "
                "(les limites sont alors comptées par adresse IP).",
                "invalid-api-key",
            )
            response["WWW-Authenticate"] = 'ApiKey header="X-Api-Key"'
            response["Cache-Control"] = "no-store"
            return response
        if is_post:
            try:
                bodies.check_body(request)
            except ApiError as exc:
                response = error_response(exc.status, exc.detail, exc.code)
                response["Cache-Control"] = "no-store"
                return response
            response = view(request, *args, **kwargs)
            response["Cache-Control"] = "no-store"
            _rate_headers(response, decision)
            return response
        method = request.method
        request.method = "GET"  # ninja declares GET only; HEAD is GET without the body (the server drops it)
        try:
            response = view(request, *args, **kwargs)
        finally:
            request.method = method
        if (
            response.status_code == 405
        ):  # a POST-only endpoint asked with GET: the API's JSON shape, not Django's HTML
            allowed = response.get("Allow", "")
            response = error_response(
                405, f"Méthode non autorisée : utilisez {allowed}.", "method-not-allowed"
            )
            response["Allow"] = allowed
            return response
        response = caching.conditional(request, response)
        _rate_headers(response, decision)
        return response

    return wrapper


def _rate_headers(response: HttpResponse, decision: ratelimit.Decision) -> None:
    if decision.limit:
        response["X-RateLimit-Limit"] = str(decision.limit)
        response["X-RateLimit-Remaining"] = str(decision.remaining)


@functools.cache
def _openapi_bytes() -> bytes:
    """The document never changes while the process runs: build it once."""
    schema = _document_http_behaviour(
        _fix_parameter_examples(dict(api.get_openapi_schema(path_prefix=API_ROOT)))
    )
    return json.dumps(schema, ensure_ascii=False, indent=1).encode("utf-8")


_STATUS_DESCRIPTIONS = {
    "200": "Succès.",
    "400": "Paramètre ou en-tête invalide, ou requête inutilisable.",
    "404": "Code inconnu.",
    "429": "Trop de requêtes : réessayer après le délai de l’en-tête `Retry-After`.",
}
_RATE_HEADERS = {
    "X-RateLimit-Limit": {
        "description": "Nombre de requêtes permises par période.",
        "schema": {"type": "integer"},
    },
    "X-RateLimit-Remaining": {
        "description": "Requêtes restantes dans la période.",
        "schema": {"type": "integer"},
    },
}


def _document_http_behaviour(schema: dict[str, Any]) -> dict[str, Any]:
    """French response descriptions, and the caching and rate-limit headers that `public_endpoint` adds."""
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = {str(status): response for status, response in operation.get("responses", {}).items()}
            operation["responses"] = responses
            for status, response in responses.items():
                if status in _STATUS_DESCRIPTIONS:
                    response["description"] = _STATUS_DESCRIPTIONS[status]
            if "200" in responses and method != "get":  # POST answers are never cached
                responses["200"]["headers"] = dict(_RATE_HEADERS)
            elif "200" in responses:
                responses["200"]["headers"] = {
                    "ETag": {
                        "description": "Empreinte du contenu, à renvoyer dans `If-None-Match`.",
                        "schema": {"type": "string"},
                    },
                    "Cache-Control": {"description": "`public, max-age=300`.", "schema": {"type": "string"}},
                    **_RATE_HEADERS,
                }
                responses["304"] = {
                    "description": "Non modifié : le contenu correspond à l’ETag de `If-None-Match`."
                }
            if "429" in responses:
                responses["401"] = {
                    **responses["429"],
                    "description": "Clé d’API inconnue : `X-Api-Key` n’est pas une clé configurée par l’exploitant.",
                }
                responses["429"]["headers"] = {
                    "Retry-After": {"description": "Secondes à attendre.", "schema": {"type": "integer"}}
                }
            operation.setdefault("parameters", []).append(
                {
                    "in": "header",
                    "name": "X-Api-Key",
                    "required": False,
                    "description": "Clé facultative d’un partenaire, fournie par l’exploitant : ses requêtes sont "
                    "comptées à part, avec une limite plus haute. Une clé inconnue est refusée (401).",
                    "schema": {"type": "string", "maxLength": ratelimit.MAX_API_KEY_LENGTH},
                }
            )
    return schema


def _fix_parameter_examples(schema: dict[str, Any]) -> dict[str, Any]:
    """ninja copies a field's JSON-Schema `examples` (a list) onto the parameter, where OpenAPI wants a map of Example
    Objects; rewrite it as such so that validators and generators accept the document."""
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            for parameter in operation.get("parameters", []):
                examples = parameter.get("examples")
                if isinstance(examples, list):
                    parameter["examples"] = {
                        f"exemple-{index}": {"value": value} for index, value in enumerate(examples, start=1)
                    }
    return schema


def openapi_schema() -> dict[str, Any]:
    return json.loads(_openapi_bytes())


def openapi_json(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_openapi_bytes(), content_type="application/json; charset=utf-8")


def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    return error_response(404, "Ce chemin n’existe pas dans l’API v1 : voir /api/v1/docs.", "not-found")


def _example_parameters(path: str = "recherche") -> list[dict[str, Any]]:
    """The query parameters of a GET endpoint, read from the OpenAPI document so that the page cannot drift from it."""
    operation = openapi_schema()["paths"][API_ROOT + path]["get"]
    rows = []
    for parameter in operation.get("parameters", []):
        if parameter.get("in") != "query":
            continue
        schema = parameter.get("schema", {})
        kind = schema.get("type")
        if not kind and "anyOf" in schema:
            kinds = [item.get("type") for item in schema["anyOf"] if item.get("type") != "null"]
            kind = kinds[0] if kinds else ""
            enum = next((item.get("enum") for item in schema["anyOf"] if item.get("enum")), None)
        else:
            enum = schema.get("enum")
        rows.append(
            {
                "name": parameter["name"],
                "type": {"string": "texte", "integer": "entier", "number": "nombre"}.get(
                    kind or "", kind or ""
                ),
                "enum": enum,
                "default": schema.get("default"),
                "description": parameter.get("description") or schema.get("description", ""),
            }
        )
    return rows


def docs(request: HttpRequest) -> HttpResponse:
    """Server-rendered documentation: the site's CSP forbids third-party hosts, and it must pass axe like any page."""
    context = {
        "title": "Documentation de l’API",
        "api_version": API_VERSION,
        "parameters": _example_parameters(),
        "structure_parameters": _example_parameters("structures"),
        "max_body_kb": bodies.MAX_BODY_BYTES // 1024,
        "max_query_length": MAX_QUERY_LENGTH,
        "max_page": MAX_PAGE,
        "max_per_page": MAX_PER_PAGE,
        "rate_limit": _rate_limit_label(),
        "operations": operations(),
    }
    return render(request, "api/docs.html", context)


def _rate_limit_label() -> str:
    rate = ratelimit.configured_rate()
    if rate is None:
        return "aucune limite configurée"
    unit = {1: "seconde", 60: "minute", 3600: "heure", 86400: "jour"}.get(rate.seconds, f"{rate.seconds} s")
    return f"{rate.requests} requêtes par {unit}"


def operations() -> list[dict[str, str]]:
    """Every operation of the OpenAPI document (method, path, summary): the index and the docs page list these, so
    that a new endpoint appears in both without anyone retyping it."""
    rows = []
    for path, path_item in openapi_schema()["paths"].items():
        for method, operation in path_item.items():
            rows.append({"methode": method.upper(), "chemin": path, "resume": operation.get("summary", "")})
    return rows


def index(request: HttpRequest) -> JsonResponse:
    """`/api/v1/`: where to start, for a developer who types the root URL."""
    listed = operations()
    return JsonResponse(
        {
            "version": API_VERSION,
            "documentation": API_ROOT + "docs",
            "openapi": API_ROOT + "openapi.json",
            "endpoints": list(dict.fromkeys(row["chemin"] for row in listed)),
            "operations": listed,
        }
    )
