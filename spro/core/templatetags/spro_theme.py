"""Template helpers of the site shell that must work without a request (the 500 page has no context)."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def brand_value(key: str) -> str:
    """One value of SPRO_BRAND, read from settings rather than from the context processor."""
    return str(settings.SPRO_BRAND.get(key, ""))


@register.simple_tag
def page_language() -> str:
    """The `lang` of the page, as the context processor computes it (see `served_language`)."""
    from django.utils import translation

    from spro.core.context_processors import served_language

    return served_language(translation.get_language())
