"""Thin views of the site shell: home, legal pages, health probe."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

LEGAL_PAGES = {
    "mentions-legales": "Mentions légales",
    "accessibilite": "Déclaration d'accessibilité",
    "donnees-personnelles": "Données personnelles et cookies",
    "plan-du-site": "Plan du site",
}


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@require_safe
def legal_page(request: HttpRequest, page: str) -> HttpResponse:
    if page not in LEGAL_PAGES:
        raise Http404(page)
    return render(request, f"core/{page}.html", {"title": LEGAL_PAGES[page]})


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """Load-balancer probe: 200 when the database (and the cache, if shared) answer, else 503."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        cache.set("spro:health", "1", 5)
        checks["cache"] = "ok" if cache.get("spro:health") == "1" else "error: no round-trip"
    except Exception as exc:  # noqa: BLE001
        checks["cache"] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


@require_safe
def brand_css(request: HttpRequest) -> HttpResponse:
    """The Region's colours as CSS custom properties, so the stylesheet itself never changes per Region."""
    css = render(request, "core/brand.css", content_type="text/css; charset=utf-8")
    css["Cache-Control"] = "public, max-age=3600"
    return css
