"""System checks: the brand colours a Region configures must keep text readable (WCAG 2.1 AA, 4.5:1)."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.checks import Error, register

HEX = re.compile(r"^#([0-9a-fA-F]{6})$")
MIN_CONTRAST = 4.5


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
