"""Professional sessions end after SPRO_SESSION_IDLE_MINUTES without a request and SPRO_SESSION_MAX_HOURS after
the login. Time is moved by ageing the session's own stamps (no sleep)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from spro.accounts import sessions

from .factories import PASSWORD

LOGIN = "/pro/connexion"


def log_in(client) -> None:
    response = client.post(LOGIN, {"username": "conseiller.a@example.org", "password": PASSWORD})
    assert response.status_code == 302


def age(client, *, login_by: int = 0, seen_by: int = 0) -> None:
    """Move the session's clocks back by that many seconds, as if time had passed."""
    session = client.session
    session[sessions.LOGIN_AT] -= login_by
    session[sessions.SEEN_AT] -= seen_by
    session.save()


@pytest.fixture
def limits(settings):
    settings.SPRO_SESSION_IDLE_MINUTES = 30
    settings.SPRO_SESSION_MAX_HOURS = 10
    return settings


def test_a_login_starts_both_clocks(client, network, limits):
    before = sessions.now()
    log_in(client)
    assert client.session[sessions.LOGIN_AT] >= before
    assert client.session[sessions.SEEN_AT] >= before


def test_a_session_idle_past_the_limit_is_closed_with_a_message(client, network, limits):
    log_in(client)
    age(client, seen_by=31 * 60)
    response = client.get("/pro/", follow=True)
    assert response.redirect_chain[0] == (f"{LOGIN}?next=/pro/", 302)
    assert "fermée après 30 minutes d’inactivité" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_session_used_within_the_idle_limit_stays_open_and_its_activity_is_recorded(
    client, network, limits
):
    log_in(client)
    age(client, seen_by=29 * 60)
    assert client.get("/pro/").status_code == 200
    assert sessions.now() - client.session[sessions.SEEN_AT] < 60  # the request counted as activity
    age(client, seen_by=29 * 60)
    assert client.get("/pro/").status_code == 200  # 58 minutes after login, never 30 idle


def test_an_active_session_is_closed_at_the_maximum_age(client, network, limits):
    log_in(client)
    age(client, login_by=10 * 3600 + 1)
    response = client.get("/pro/", follow=True)
    assert response.redirect_chain[0][0].startswith(LOGIN)
    assert "durée maximale (10 h)" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_limits_come_from_the_settings(client, network, settings):
    settings.SPRO_SESSION_IDLE_MINUTES = 5
    settings.SPRO_SESSION_MAX_HOURS = 1
    log_in(client)
    age(client, seen_by=6 * 60)
    assert client.get("/pro/").status_code == 302
    log_in(client)
    age(client, login_by=3601)
    assert client.get("/pro/").status_code == 302
    log_in(client)
    age(client, login_by=3500, seen_by=4 * 60)
    assert client.get("/pro/").status_code == 200


def test_a_post_after_expiry_is_not_replayed_and_lands_on_the_login_page(client, network, limits):
    log_in(client)
    age(client, seen_by=31 * 60)
    response = client.post(f"/pro/structures/{network['a'].pk}/inviter", {"email": "x@example.org"})
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/pro/"


def test_a_session_opened_before_the_rule_gets_its_clocks_started_not_closed(client, network, limits):
    client.force_login(network["users"]["conseiller_a"])
    session = client.session
    del session[sessions.LOGIN_AT], session[sessions.SEEN_AT]
    session.save()
    assert client.get("/pro/").status_code == 200
    assert isinstance(client.session[sessions.LOGIN_AT], int)


def test_anonymous_visitors_are_not_touched(client, db, limits):
    assert client.get("/").status_code == 200
    assert sessions.LOGIN_AT not in client.session


def test_the_session_cookie_does_not_outlive_the_maximum_age():
    assert int(django_settings.SPRO_SESSION_MAX_HOURS * 3600) == django_settings.SESSION_COOKIE_AGE


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SPRO_SESSION_IDLE_MINUTES", "trente"),
        ("SPRO_SESSION_IDLE_MINUTES", "0"),
        ("SPRO_SESSION_MAX_HOURS", "-1"),
    ],
)
def test_bad_limits_stop_the_start_with_a_clear_error(variable, value, monkeypatch):
    monkeypatch.setenv(variable, value)
    result = subprocess.run(
        [sys.executable, "-c", "import spro.settings"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr
