"""System checks: what a Region configures (brand colours, logo, RGAA status) must keep the site accessible.

Colours must keep white text readable (WCAG 2.1 AA, 4.5:1): the theme puts white text on both brand colours.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.checks import Error, register
from django.core.checks import Warning as CheckWarning

HEX = re.compile(r"^#([0-9a-fA-F]{6})$")
MIN_CONTRAST = 4.5
# What /theme/brand.css serves instead of a refused colour: system checks do not run under gunicorn, so the
# stylesheet itself never ships a colour that the check below would refuse.
DEFAULT_COLOURS = {"primary": "#1f4e8c", "accent": "#8a3b12"}


def relative_luminance(hex_colour: str) -> float:
    value = HEX.match(hex_colour)
    if not value:
        raise ValueError(f"{hex_colour!r} is not a #rrggbb colour")
    channels = [int(value.group(1)[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def colour_problem(colour: str) -> str | None:
    """Why a brand colour cannot carry white text, or None when it can."""
    if not HEX.match(colour):
        return "must be a #rrggbb colour"
    ratio = contrast_ratio(colour, "#ffffff")
    if ratio < MIN_CONTRAST:
        return (
            f"gives a contrast of {ratio:.2f}:1 with white text; WCAG 2.1 AA needs {MIN_CONTRAST}:1. "
            "Choose a darker colour."
        )
    return None


def safe_brand_colours() -> dict[str, str]:
    """The configured colours, each replaced by the default when it would make text unreadable."""
    colours = {}
    for key, default in DEFAULT_COLOURS.items():
        colour = settings.SPRO_BRAND.get(key, default)
        colours[key] = default if colour_problem(colour) else colour
    return colours


@register()
def check_brand_colours(app_configs, **kwargs):
    errors = []
    for key in ("primary", "accent"):
        colour = settings.SPRO_BRAND[key]
        env = f"SPRO_BRAND_{key.upper()}"
        if not HEX.match(colour):
            errors.append(Error(f"{env}={colour!r} must be a #rrggbb colour", id="core.E001"))
            continue
        ratio = contrast_ratio(colour, "#ffffff")
        if ratio < MIN_CONTRAST:
            errors.append(
                Error(
                    f"{env}={colour} gives a contrast of {ratio:.2f}:1 with white text; WCAG 2.1 AA needs "
                    f"{MIN_CONTRAST}:1. Choose a darker colour.",
                    id="core.E002",
                )
            )
    return errors


@register()
def check_brand_logo(app_configs, **kwargs):
    """The CSP only allows images from this site (`img-src 'self' data:`): a remote logo would not show."""
    logo = settings.SPRO_BRAND.get("logo", "")
    if logo and re.match(r"^(https?:)?//", logo):
        return [
            CheckWarning(
                f"SPRO_BRAND_LOGO={logo!r} points to another site: the Content-Security-Policy blocks it.",
                hint="Serve the logo from this site (e.g. /static/region/logo.svg) or use a data: URL.",
                id="core.W001",
            )
        ]
    return []


@register()
def check_accessibility_status(app_configs, **kwargs):
    from spro.core.context_processors import ACCESSIBILITY_STATUSES, accessibility_status

    status = accessibility_status()
    if status not in ACCESSIBILITY_STATUSES:
        return [
            Error(
                f"SPRO_ACCESSIBILITY_STATUS={status!r}: expected one of {', '.join(ACCESSIBILITY_STATUSES)}",
                id="core.E003",
            )
        ]
    return []
