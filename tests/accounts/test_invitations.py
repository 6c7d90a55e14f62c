"""Invitation by e-mail: admin only, signed single-use expiring link, password validators, nothing half-created."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.test import override_settings

from spro.accounts import invitations
from spro.accounts.models import Invitation, Membership, StructureRole

from .factories import PASSWORD

NEW_PASSWORD = "Un-mot-de-passe-solide-2026"


def invite(client, network, email="nouvelle@example.org", role="conseiller"):
    client.force_login(network["users"]["admin_a"])
    response = client.post(f"/pro/structures/{network['a'].pk}/inviter", {"email": email, "role": role})
    assert response.status_code == 302
    client.logout()
    link = re.search(r"http://testserver(/pro/invitation/\S+)", mail.outbox[-1].body)
    return link.group(1)


def test_an_admin_invites_and_the_invitee_sets_a_password_and_becomes_a_member(client, network):
    path = invite(client, network, role="admin_structure")
    message = mail.outbox[-1]
    assert message.to == ["nouvelle@example.org"]
    assert "Mission locale du Pays de Cornouaille" in message.subject
    page = client.get(path)
    assert page.status_code == 200
    assert "nouvelle@example.org" in page.content.decode()
    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/pro/"
    user = get_user_model().objects.get(email="nouvelle@example.org")
    assert user.password.startswith("argon2$")
    assert Membership.objects.get(user=user).role == StructureRole.ADMIN_STRUCTURE
    assert Invitation.objects.get().accepted_at is not None


def test_a_used_link_is_refused_and_creates_nothing_more(client, network):
    path = invite(client, network)
    client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()
    response = client.get(path)
    assert response.status_code == 410
    assert "déjà été acceptée" in response.content.decode()
    response = client.post(
        path, {"password1": "Autre-mot-de-passe-2026", "password2": "Autre-mot-de-passe-2026"}
    )
    assert response.status_code == 410
    assert get_user_model().objects.get(email="nouvelle@example.org").check_password(NEW_PASSWORD)


def test_an_expired_link_is_refused(client, network, settings):
    path = invite(client, network)
    settings.SPRO_INVITATION_TTL = -1
    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 410
    assert "a expiré" in response.content.decode()
    assert not get_user_model().objects.filter(email="nouvelle@example.org").exists()


@pytest.mark.parametrize(
    "token",
    [
        "pas-un-jeton",
        signing.dumps({"i": 1}, salt="autre-sel"),
        signing.dumps({"i": 1}, salt=invitations.SALT, key="une-autre-cle-secrete-" * 3),
    ],
)
def test_a_forged_link_is_refused(client, network, token):
    invite(client, network)
    response = client.post(f"/pro/invitation/{token}", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 400
    assert "pas valide" in response.content.decode()
    assert not get_user_model().objects.filter(email="nouvelle@example.org").exists()


def test_a_token_for_a_withdrawn_invitation_is_refused(client, network):
    path = invite(client, network)
    Invitation.objects.all().delete()
    assert client.get(path).status_code == 400


def test_a_weak_password_is_refused_with_the_validators_message_and_nothing_is_created(client, network):
    path = invite(client, network)
    response = client.post(path, {"password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and "id_password1-erreur" in html
    assert not get_user_model().objects.filter(email="nouvelle@example.org").exists()
    assert Invitation.objects.get().accepted_at is None
    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})
    assert "ne sont pas identiques" in response.content.decode()


def test_an_existing_account_joins_only_when_logged_in_as_the_invited_address(client, network):
    path = invite(client, network, email="Conseiller.B@example.org")
    user_b = network["users"]["conseiller_b"]
    response = client.get(path)
    assert "Un compte existe déjà" in response.content.decode()
    assert client.post(path).status_code == 409  # not logged in: the link cannot take over the account
    client.force_login(network["users"]["conseiller_a"])
    assert client.post(path).status_code == 409
    client.force_login(user_b)
    assert client.post(path).status_code == 302
    assert Membership.objects.filter(user=user_b, structure=network["a"]).exists()
    user_b.refresh_from_db()
    assert user_b.check_password(PASSWORD)  # the invitation never touches an existing password


@pytest.mark.parametrize("role", ["conseiller_a", "conseiller_b", "pilote_region", "tete_ml_bzh"])
def test_only_admins_of_the_structure_may_invite(client, network, role):
    client.force_login(network["users"][role])
    response = client.post(
        f"/pro/structures/{network['a'].pk}/inviter", {"email": "x@example.org", "role": "conseiller"}
    )
    assert response.status_code == 403
    assert not mail.outbox and not Invitation.objects.exists()


def test_the_invitation_form_rejects_bad_input_with_field_errors(client, network):
    client.force_login(network["users"]["admin_a"])
    response = client.post(
        f"/pro/structures/{network['a'].pk}/inviter", {"email": "pas-une-adresse", "role": "roi"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true" aria-describedby="id_email-erreur"' in html
    assert "id_role-erreur" in html and "Sélectionnez un choix valide" in html
    assert not mail.outbox and not Invitation.objects.exists()


@override_settings(SPRO_INVITATION_TTL=3600)
def test_the_email_says_how_long_the_link_is_valid(client, network):
    invite(client, network)
    assert "valable 1 jour, une seule fois" in mail.outbox[-1].body
