"""System checks on what a Region configures."""

from __future__ import annotations

import pytest

from spro.core.checks import (
    check_accessibility_status,
    check_brand_colours,
    check_brand_logo,
    contrast_ratio,
)


def test_contrast_ratio_matches_the_wcag_formula():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_default_brand_colours_pass():
    assert check_brand_colours(None) == []


@pytest.mark.parametrize(
    ("colour", "error_id"),
    [("#ffcc00", "core.E002"), ("#777777", "core.E002"), ("blue", "core.E001"), ("#12345", "core.E001")],
)
def test_unreadable_or_malformed_brand_colour_is_refused(settings, colour, error_id):
    settings.SPRO_BRAND = {**settings.SPRO_BRAND, "primary": colour}
    errors = check_brand_colours(None)
    assert [error.id for error in errors] == [error_id]
    assert "SPRO_BRAND_PRIMARY" in errors[0].msg


def test_dark_custom_colour_is_accepted(settings):
    settings.SPRO_BRAND = {**settings.SPRO_BRAND, "primary": "#0b5d3b", "accent": "#6b2c91"}
    assert check_brand_colours(None) == []


@pytest.mark.parametrize("logo", ["https://cdn.example.org/logo.png", "//cdn.example.org/logo.png"])
def test_remote_logo_is_flagged_because_the_csp_blocks_it(settings, logo):
    settings.SPRO_BRAND = {**settings.SPRO_BRAND, "logo": logo}
    assert [warning.id for warning in check_brand_logo(None)] == ["core.W001"]


@pytest.mark.parametrize("logo", ["", "/static/region/logo.svg", "data:image/svg+xml,%3Csvg%3E"])
def test_local_logo_is_accepted(settings, logo):
    settings.SPRO_BRAND = {**settings.SPRO_BRAND, "logo": logo}
    assert check_brand_logo(None) == []


def test_accessibility_status_must_be_a_legal_wording(settings):
    assert check_accessibility_status(None) == []
    settings.SPRO_ACCESSIBILITY_STATUS = "conforme à 80 %"
    assert [error.id for error in check_accessibility_status(None)] == ["core.E003"]
