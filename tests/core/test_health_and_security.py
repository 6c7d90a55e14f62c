"""Health probe, security headers and brand stylesheet."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

from spro.core.middleware import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.django_db


def test_health_answers_ok_when_database_and_cache_answer(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_answers_503_when_the_database_fails(client):
    with mock.patch("spro.core.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error: OperationalError", "cache": "ok"}


def test_health_answers_503_when_the_cache_fails(client):
    with mock.patch("spro.core.views.cache.set", side_effect=ConnectionError("redis down")):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["cache"] == "error: ConnectionError"


@pytest.mark.parametrize("path", ["/", "/mentions-legales/", "/page-absente/", "/theme/brand.css"])
def test_pages_carry_a_content_security_policy_without_inline_code(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert csp == CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "geolocation=()" in response["Permissions-Policy"]


def test_admin_is_left_to_its_own_policy(client):
    response = client.get("/admin/login/")
    assert "Content-Security-Policy" not in response


def test_brand_stylesheet_serves_the_configured_colours(client, settings):
    settings.SPRO_BRAND = {**settings.SPRO_BRAND, "primary": "#0b5d3b", "accent": "#6b2c91"}
    response = client.get(reverse("brand-css"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    css = response.content.decode()
    assert "--brand-primary: #0b5d3b;" in css and "--brand-accent: #6b2c91;" in css


def test_brand_stylesheet_never_serves_an_unreadable_colour(client, settings, caplog):
    settings.SPRO_BRAND = {**settings.SPRO_BRAND, "primary": "#ffcc00", "accent": "red;}body{display:none"}
    css = client.get(reverse("brand-css")).content.decode()
    assert "--brand-primary: #1f4e8c;" in css and "--brand-accent: #8a3b12;" in css
    assert "ffcc00" not in css and "display" not in css
    assert "refused" in caplog.text
