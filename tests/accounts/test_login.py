"""Login, logout, dashboard: Argon2 hashes, throttling after N failures, French pages, anonymous redirect."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from .factories import PASSWORD, UserFactory

LOGIN = "/pro/connexion"


def test_passwords_are_hashed_with_argon2(db):
    user = get_user_model().objects.create_user("nouveau@example.org", "nouveau@example.org", PASSWORD)
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)


def test_an_older_pbkdf2_hash_is_upgraded_to_argon2_at_login(client, db):
    from django.contrib.auth.hashers import make_password

    user = UserFactory(email="ancien@example.org")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save()
    response = client.post(LOGIN, {"username": "ancien@example.org", "password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")


def test_login_page_is_french_with_labelled_fields_and_csrf(client, db):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert '<label for="id_username">Adresse électronique' in html
    assert '<label for="id_password">Mot de passe' in html
    assert "csrfmiddlewaretoken" in html
    assert "ProConnect" not in html  # OIDC off unless configured


def test_a_member_logs_in_by_email_and_sees_their_structures(client, network):
    response = client.post(
        LOGIN, {"username": "Conseiller.A@example.org ", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/pro/"
    html = response.content.decode()
    assert "Mission locale du Pays de Cornouaille" in html
    assert "CIO de Rennes" not in html
    assert "Membres et invitations" not in html  # a conseiller does not manage members


def test_the_dashboard_offers_invitations_to_structure_admins_only(client, network):
    client.force_login(network["users"]["admin_a"])
    html = client.get("/pro/").content.decode()
    assert f"/pro/structures/{network['a'].pk}/inviter" in html


def test_a_wrong_password_shows_a_french_error_linked_to_the_form(client, network):
    response = client.post(LOGIN, {"username": "conseiller.a@example.org", "password": "mauvais"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Adresse électronique ou mot de passe incorrect." in html
    assert 'role="alert"' in html
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "path", ["/pro/", "/pro/contacts", "/pro/contacts/nouveau", "/pro/contacts/statistiques"]
)
def test_anonymous_visitors_are_sent_to_the_login_page(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")


def test_login_is_locked_after_the_failure_limit_even_with_the_right_password(client, network, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        response = client.post(LOGIN, {"username": "conseiller.a@example.org", "password": "mauvais"})
        assert response.status_code == 200
    response = client.post(LOGIN, {"username": "conseiller.a@example.org", "password": "mauvais"})
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.content.decode()
    response = client.post(LOGIN, {"username": "conseiller.a@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not locked out by someone else's failures.
    response = client.post(LOGIN, {"username": "conseiller.b@example.org", "password": PASSWORD})
    assert response.status_code == 302


def test_a_successful_login_resets_the_failure_count(client, network, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        client.post(LOGIN, {"username": "conseiller.a@example.org", "password": "mauvais"})
    assert (
        client.post(LOGIN, {"username": "conseiller.a@example.org", "password": PASSWORD}).status_code == 302
    )
    client.logout()
    for _ in range(2):
        client.post(LOGIN, {"username": "conseiller.a@example.org", "password": "mauvais"})
    assert (
        client.post(LOGIN, {"username": "conseiller.a@example.org", "password": PASSWORD}).status_code == 302
    )


def test_logout_asks_for_confirmation_on_get_and_logs_out_on_post(client, network):
    client.force_login(network["users"]["conseiller_a"])
    response = client.get("/pro/deconnexion")
    assert response.status_code == 200
    assert "_auth_user_id" in client.session
    response = client.post("/pro/deconnexion", follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    assert "Vous êtes déconnecté·e." in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=2)
def test_an_inactive_account_cannot_log_in(client, network):
    user = network["users"]["conseiller_a"]
    user.is_active = False
    user.save()
    response = client.post(LOGIN, {"username": "conseiller.a@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_throttling_address_follows_the_trusted_proxy_rule_and_tolerates_no_address(settings):
    from django.test import RequestFactory

    from spro.accounts.throttling import client_ip

    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.7")
    settings.SPRO_API_TRUSTED_PROXIES = 0
    assert client_ip(request) == "10.0.0.1"  # a client cannot choose its address by a header
    settings.SPRO_API_TRUSTED_PROXIES = 1
    assert client_ip(request) == "192.0.2.7"
    request.META.pop("REMOTE_ADDR")
    request.META.pop("HTTP_X_FORWARDED_FOR")
    assert client_ip(request) is None


def test_an_account_whose_username_is_not_its_address_logs_in_by_address_or_username(client, db):
    user = UserFactory(username="jdupont", email="Jean.Dupont@Example.org")
    response = client.post(LOGIN, {"username": " jean.dupont@EXAMPLE.org ", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    client.logout()
    assert client.post(LOGIN, {"username": "jdupont", "password": PASSWORD}).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_username_keeps_its_case_in_the_login_page_and_the_django_admin(client, db):
    user = UserFactory(username="AdminRegion", email="", is_staff=True, is_superuser=True)
    assert client.post(LOGIN, {"username": "AdminRegion", "password": PASSWORD}).status_code == 302
    client.logout()
    response = client.post("/admin/login/", {"username": "AdminRegion", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    "second",
    [
        {"username": "homonyme", "email": "PARTAGE@example.org"},  # same address, another case
        {
            "username": "partage@example.org",
            "email": "autre@example.org",
        },  # the address is another's username
    ],
)
def test_an_address_shared_by_two_accounts_is_refused_clearly_and_opens_neither(client, db, second):
    UserFactory(username="premier", email="partage@example.org")
    UserFactory(**second)
    response = client.post(LOGIN, {"username": "partage@example.org", "password": PASSWORD})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Plusieurs comptes utilisent cette adresse électronique" in html
    assert "Connectez-vous avec votre identifiant" in html
    assert "_auth_user_id" not in client.session
    # Each account still opens with its own username.
    assert client.post(LOGIN, {"username": "premier", "password": PASSWORD}).status_code == 302


def test_an_inactive_account_sharing_the_address_does_not_block_the_active_one(client, db):
    UserFactory(username="ancien-compte", email="partage@example.org", is_active=False)
    user = UserFactory(username="nouveau-compte", email="Partage@example.org")
    assert client.post(LOGIN, {"username": "partage@example.org", "password": PASSWORD}).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_failures_by_address_and_by_username_count_for_the_same_account(client, db, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="jdupont", email="jean.dupont@example.org")
    for identifier in ("jdupont", "Jean.Dupont@example.org"):
        assert client.post(LOGIN, {"username": identifier, "password": "mauvais"}).status_code == 200
    assert client.post(LOGIN, {"username": "jdupont", "password": "mauvais"}).status_code == 429
    response = client.post(LOGIN, {"username": "JEAN.DUPONT@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
