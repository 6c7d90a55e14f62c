"""Thin views of the site shell: home, legal pages, health probe."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from spro.core import accessibility, privacy
from spro.core.checks import safe_brand_colours
from spro.core.home import render_sections

logger = logging.getLogger(__name__)

LEGAL_PAGES = {
    "mentions-legales": _("Mentions légales"),
    "accessibilite": _("Déclaration d’accessibilité"),
    "donnees-personnelles": _("Données personnelles et cookies"),
    "plan-du-site": _("Plan du site"),
}


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    # Sections that apps register (spro/core/home.py), e.g. the next events of the public agenda.
    return render(request, "core/home.html", {"home_sections": render_sections(request)})


@require_safe
def legal_page(request: HttpRequest, page: str) -> HttpResponse:
    if page not in LEGAL_PAGES:
        raise Http404(page)
    context: dict[str, object] = {"title": LEGAL_PAGES[page]}
    if page == "donnees-personnelles":
        # Durations and servers come from the settings, never typed in the page.
        context["privacy"] = privacy.facts()
    elif page == "accessibilite":
        context["statement"] = accessibility.facts()
    return render(request, f"core/{page}.html", context)


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
    except Exception as exc:  # any failure means "not ready"
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        cache.set("spro:health", "1", 5)
        checks["cache"] = "ok" if cache.get("spro:health") == "1" else "error: no round-trip"
    except Exception as exc:
        checks["cache"] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


@require_safe
def brand_css(request: HttpRequest) -> HttpResponse:
    """The Region's colours as CSS custom properties, so the stylesheet itself never changes per Region."""
    colours = safe_brand_colours()
    for key, colour in colours.items():
        if settings.SPRO_BRAND.get(key) != colour:
            refused = settings.SPRO_BRAND.get(key)
            logger.warning("brand colour %s=%r refused (see `spro check`); default used", key, refused)
    css = render(request, "core/brand.css", {"colours": colours}, content_type="text/css; charset=utf-8")
    css["Cache-Control"] = "public, max-age=3600"
    return css
