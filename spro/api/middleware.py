"""CORS for the public API: any partner site may call `/api/v1/` from the browser, without credentials.

`Access-Control-Allow-Origin: *` forbids browsers from sending cookies with the request, which is what we want: the
API is anonymous and changes no data (GET, and POST /analyse which stores no text), so no origin list to keep.
Preflight (`OPTIONS`) requests are answered here, before the view (ninja would answer 405).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

API_PREFIX = "/api/v1/"
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
ALLOWED_HEADERS = "Accept, Accept-Language, Content-Type, If-None-Match, X-Api-Key"
EXPOSED_HEADERS = "ETag, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining"
PREFLIGHT_MAX_AGE = "86400"
#: The only endpoints that take a POST (anonymous computations that change nothing, so open to any origin too).
POST_PATHS = {API_PREFIX + "analyse"}
POST_METHODS = "POST, OPTIONS"


class ApiCorsMiddleware:
    """Put it high in MIDDLEWARE (right after SecurityMiddleware) so that preflights skip the rest of the stack."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS":
            methods = POST_METHODS if request.path in POST_PATHS else ALLOWED_METHODS
            response = HttpResponse(status=204)
            response["Allow"] = methods
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Allow-Methods"] = methods
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
            return response
        response = self.get_response(request)
        if request.method in {"GET", "HEAD"} or (request.method == "POST" and request.path in POST_PATHS):
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        return response
