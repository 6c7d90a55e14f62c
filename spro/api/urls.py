"""`/api/v1/` (included by spro/urls.py): ninja's operations, the OpenAPI document, the docs page and a JSON 404.

Every URL goes through `public_endpoint` (rate limit, HEAD, JSON 405, ETag/Cache-Control); CORS is the job of
`spro.api.middleware.ApiCorsMiddleware`, which must be in MIDDLEWARE.
"""

from django.urls import URLPattern, path, re_path
from django.views.decorators.csrf import csrf_exempt

from spro.api.api import api
from spro.api.views import docs, index, not_found, openapi_json, public_endpoint

app_name = "api"  # names are "api:…", so they never shadow the pages' "metier", "formation"…

ninja_patterns, _ninja_app_name, _ninja_namespace = api.urls


def _wrap(pattern: URLPattern) -> URLPattern:
    return URLPattern(pattern.pattern, public_endpoint(pattern.callback), pattern.default_args, pattern.name)


urlpatterns = [
    *(
        _wrap(pattern)
        for pattern in ninja_patterns
        if isinstance(pattern, URLPattern) and pattern.name != "api-root"
    ),
    path("", public_endpoint(csrf_exempt(index)), name="index"),
    path("openapi.json", public_endpoint(csrf_exempt(openapi_json)), name="openapi"),
    path("docs", public_endpoint(csrf_exempt(docs)), name="docs"),
    # [\s\S], not ".": a path ending in a newline (a fuzzer found one) must get the JSON 404 too.
    re_path(r"^(?P<rest>[\s\S]*)$", public_endpoint(csrf_exempt(not_found)), name="not-found"),
]
