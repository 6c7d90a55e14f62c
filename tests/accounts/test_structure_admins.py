"""`spro structures admin`: the first admin of a structure without the Django admin, by an invitation link."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from spro.accounts.models import Invitation, Membership, StructureRole

from .factories import PASSWORD, UserFactory

NEW_PASSWORD = "Un-mot-de-passe-solide-2026"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("structures", "admin", *args, stdout=out)
    return out.getvalue()


def test_a_new_address_gets_an_account_without_password_and_a_link_to_choose_it(client, network, settings):
    settings.SPRO_SITE_URL = "https://orientation.example.org"
    structure = network["b"]
    output = run(
        str(structure.pk), "Directrice.CIO@example.org", "--first-name", "Anne", "--last-name", "Le Goff"
    )
    user = get_user_model().objects.get(email="directrice.cio@example.org")
    assert (user.username, user.first_name, user.last_name) == (
        "directrice.cio@example.org",
        "Anne",
        "Le Goff",
    )
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user, structure=structure).role == StructureRole.ADMIN_STRUCTURE
    assert "Compte créé pour directrice.cio@example.org" in output
    printed = re.search(r"https://orientation\.example\.org(/pro/invitation/\S+)", output).group(1)
    assert mail.outbox[-1].to == ["directrice.cio@example.org"]
    assert printed in mail.outbox[-1].body
    # Nobody can log in before the password is chosen; the link sets it once, then the admin manages members.
    assert client.post("/pro/connexion", {"username": user.email, "password": ""}).status_code == 200
    assert "Mot de passe" in client.get(printed).content.decode()
    response = client.post(printed, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/pro/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(f"/pro/structures/{structure.pk}/inviter").status_code == 200
    assert client.get(printed).status_code == 410  # single use


def test_the_structure_may_be_named_by_its_data_inclusion_identifier(network):
    run(network["c"].di_id, "caen@example.org")
    assert Membership.objects.filter(user__email="caen@example.org", structure=network["c"]).exists()


def test_an_existing_conseiller_is_promoted_once_and_a_second_run_changes_nothing(network):
    user = network["users"]["conseiller_a"]
    password = user.password
    assert "promu administrateur" in run(str(network["a"].pk), "CONSEILLER.A@example.org")
    assert Membership.objects.get(user=user, structure=network["a"]).role == StructureRole.ADMIN_STRUCTURE
    assert "déjà administrateur" in run(str(network["a"].pk), "conseiller.a@example.org")
    assert Membership.objects.filter(user=user).count() == 1
    user.refresh_from_db()
    assert user.password == password  # never touched
    assert mail.outbox == [] and not Invitation.objects.exists()


def test_an_existing_account_of_another_structure_gets_the_role_without_any_link(network):
    output = run(str(network["c"].pk), "conseiller.b@example.org", "--first-name", "Yann")
    user = network["users"]["conseiller_b"]
    assert "compte existant" in output and "invitation" not in output
    assert Membership.objects.get(user=user, structure=network["c"]).role == StructureRole.ADMIN_STRUCTURE
    user.refresh_from_db()
    assert user.first_name == "Yann"  # an empty name is filled, never overwritten
    assert mail.outbox == []


def test_a_second_run_before_the_password_is_chosen_sends_a_new_link(network):
    run(str(network["a"].pk), "nouvelle@example.org", "--first-name", "Nolwenn")
    output = run(str(network["a"].pk), "nouvelle@example.org")
    assert "nouveau lien d’invitation" in output
    assert get_user_model().objects.filter(email="nouvelle@example.org").count() == 1
    assert get_user_model().objects.get(email="nouvelle@example.org").first_name == "Nolwenn"
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    ("reference", "email", "message"),
    [
        ("999999", "x@example.org", "Structure inconnue : '999999'"),
        ("source--inconnue", "x@example.org", "Structure inconnue : 'source--inconnue'"),
        ("a", "pas-une-adresse", "Adresse électronique invalide"),
    ],
)
def test_bad_requests_fail_with_status_1_and_a_clear_message(network, reference, email, message):
    reference = str(network["a"].pk) if reference == "a" else reference
    with pytest.raises(CommandError, match=message) as error:
        run(reference, email)
    assert error.value.returncode == 1  # `spro` exits with it
    assert not get_user_model().objects.filter(email__in=["x@example.org", "pas-une-adresse"]).exists()


def test_missing_arguments_exit_with_the_usage(capsys):
    with pytest.raises(SystemExit) as stop:
        ManagementUtility(["spro", "structures", "admin"]).execute()
    assert stop.value.code != 0
    assert "the following arguments are required: structure, email" in capsys.readouterr().err


def test_a_retired_structure_and_an_address_shared_by_two_accounts_are_refused(network):
    UserFactory(username="homonyme", email="Conseiller.A@example.org")
    with pytest.raises(CommandError, match="Plusieurs comptes utilisent"):
        run(str(network["a"].pk), "conseiller.a@example.org")
    network["c"].is_active = False
    network["c"].save()
    with pytest.raises(CommandError, match="retirée de l’annuaire"):
        run(str(network["c"].pk), "caen@example.org")


def test_a_deactivated_account_is_refused(network):
    user = network["users"]["nobody"]
    user.is_active = False
    user.save()
    with pytest.raises(CommandError, match="désactivé"):
        run(str(network["a"].pk), user.email)
    assert not Membership.objects.filter(user=user).exists()


def test_a_mail_failure_still_prints_the_link_and_exits_with_an_error(network, settings):
    settings.EMAIL_BACKEND = "tests.accounts.test_structure_admins.BrokenBackend"
    out = io.StringIO()
    with pytest.raises(CommandError, match="transmettez le lien ci-dessus"):
        call_command("structures", "admin", str(network["a"].pk), "panne@example.org", stdout=out)
    assert "/pro/invitation/" in out.getvalue()
    assert Membership.objects.filter(user__email="panne@example.org").exists()  # a re-run sends a new link


def test_an_existing_password_is_never_set_through_an_invitation_link(client, network):
    """The link sets the password of an account made without one only; an account with a password must log in."""
    run(str(network["b"].pk), "conseiller.a@example.org")  # has a password: role only, no link
    from spro.accounts import invitations

    invitation = invitations.record(None, network["b"], "conseiller.a@example.org", "conseiller")
    path = invitations.link(invitation, "/pro/invitation/")
    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 409  # "log in with this account first": the form is not taken into account
    network["users"]["conseiller_a"].refresh_from_db()
    assert network["users"]["conseiller_a"].check_password(PASSWORD)


class BrokenBackend:
    def __init__(self, *args, **kwargs) -> None:
        pass

    def send_messages(self, messages) -> int:
        raise OSError("serveur de messagerie injoignable")
