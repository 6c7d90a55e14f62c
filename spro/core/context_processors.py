"""Template context shared by every page of the public site."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# RGAA mention shown in the footer of every page and in the accessibility statement. The law's wording depends
# on the audit result, so the value is a code and the label is fixed here, never typed freely.
ACCESSIBILITY_STATUSES = {
    "non-conforme": _("non conforme"),
    "partiellement-conforme": _("partiellement conforme"),
    "totalement-conforme": _("totalement conforme"),
}
DEFAULT_ACCESSIBILITY_STATUS = "non-conforme"


def accessibility_status() -> str:
    """The configured RGAA status code (`SPRO_ACCESSIBILITY_STATUS`, optional setting)."""
    return getattr(settings, "SPRO_ACCESSIBILITY_STATUS", DEFAULT_ACCESSIBILITY_STATUS)


@lru_cache(maxsize=16)
def _has_catalog(language: str, locale_paths: tuple[str, ...]) -> bool:
    locale = translation.to_locale(language)
    return any((Path(path) / locale / "LC_MESSAGES" / "django.mo").exists() for path in locale_paths)


def served_language(language: str | None) -> str:
    """The language the page is really written in.

    LocaleMiddleware activates English for an English browser, but until an English catalogue is compiled the
    text stays French: announcing `lang="en"` would make screen readers read French with English sounds.
    """
    default = settings.LANGUAGE_CODE
    if not language or language == default:
        return default
    if _has_catalog(language, tuple(str(path) for path in settings.LOCALE_PATHS)):
        return language
    return default


def branding(request: HttpRequest) -> dict[str, object]:
    """The Region's brand (name, logo, colours), configured by environment, for every template."""
    status = accessibility_status()
    return {
        "brand": settings.SPRO_BRAND,
        "page_language": served_language(translation.get_language()),
        "accessibility_status": ACCESSIBILITY_STATUSES.get(status, ACCESSIBILITY_STATUSES["non-conforme"]),
    }
