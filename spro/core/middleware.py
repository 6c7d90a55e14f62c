"""Security headers that Django does not set itself."""

from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# No inline script and no third party: the site works without JavaScript and calls no one else.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'"
)
# The one exception: a tile server configured for the maps (SPRO_MAP_TILES_URL), allowed for images only.
IMG_SRC = "img-src 'self' data:"


def tile_origin(template: str) -> str | None:
    """The https origin of a tile URL template (`{s}` sub-domains become `*`), or None when it has none."""
    parts = urlsplit(template.replace("{s}", "tile-subdomain"))
    host = parts.netloc.replace("tile-subdomain", "*")
    if parts.scheme != "https" or not parts.hostname or any(c in host for c in "{}@ ;,'\""):
        return None
    return f"https://{host}"


@lru_cache(maxsize=4)
def content_security_policy(tiles_url: str) -> str:
    origin = tile_origin(tiles_url) if tiles_url else None
    if origin is None:
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace(IMG_SRC, f"{IMG_SRC} {origin}")


PERMISSIONS_POLICY = "geolocation=(), camera=(), microphone=(), interest-cohort=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            response.setdefault(
                "Content-Security-Policy",
                content_security_policy(getattr(settings, "SPRO_MAP_TILES_URL", "")),
            )
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
