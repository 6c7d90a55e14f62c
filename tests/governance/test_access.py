"""spro.governance.access: every right, for every role of the network (exhaustive matrix), and the Region's code."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from spro.accounts.models import Scope, TerritorialRole
from spro.governance import access

ROLES = [
    "conseiller_a",
    "admin_a",
    "conseiller_b",
    "tete_ml_bzh",
    "pilote_region",
    "pilote_etat_29",
    "pilote_etat",
    "partenaire_social",
    "membre_crefop",
    "superuser",
    "nobody",
    "anonymous",
]

# role -> (view conventions, edit conventions, download texts, manage charter, view signatures)
EXPECTED = {
    "conseiller_a": (False, False, False, False, False),
    "admin_a": (False, False, False, False, False),
    "conseiller_b": (False, False, False, False, False),
    "tete_ml_bzh": (False, False, False, False, False),
    "pilote_region": (True, True, True, True, True),
    "pilote_etat_29": (True, False, True, False, True),
    "pilote_etat": (True, False, True, False, True),
    "partenaire_social": (False, False, False, False, False),
    "membre_crefop": (False, False, False, False, False),
    "superuser": (True, True, True, True, True),
    "nobody": (False, False, False, False, False),
    "anonymous": (False, False, False, False, False),
}


def _user(users, role):
    return AnonymousUser() if role == "anonymous" else users[role]


@pytest.mark.parametrize("role", ROLES)
def test_matrix_of_rights(users, role):
    user = _user(users, role)
    assert (
        access.can_view_conventions(user),
        access.can_edit_conventions(user),
        access.can_download_convention_document(user),
        access.can_manage_charter(user),
        access.can_view_signatures(user),
    ) == EXPECTED[role]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_structure_admin_signs_for_its_member_structure(users, members, role):
    user = _user(users, role)
    assert access.can_sign_charter(user, members["a"]) == (role == "admin_a")
    assert access.can_sign_charter(user, members["b"]) is False  # nobody is admin of the CIO
    expected = [members["a"].structure] if role == "admin_a" else []
    assert list(access.structures_signing_for(user)) == expected


def test_an_admin_of_a_structure_that_is_not_a_member_signs_nothing(users, network):
    assert list(access.structures_signing_for(users["admin_a"])) == []


def test_an_inactive_pilot_has_no_right(users):
    pilot = users["pilote_region"]
    pilot.is_active = False
    pilot.save()
    assert not access.can_view_conventions(pilot)
    assert list(access.region_pilots()) == []


def test_a_pilot_of_another_region_is_not_the_regions_team(users, network):
    other = users["nobody"]
    Scope.objects.create(user=other, role=TerritorialRole.PILOTE_REGION, region=network["nor"])
    assert not access.is_region_team(other)
    assert list(access.region_pilots()) == [users["pilote_region"]]


def test_a_state_pilot_of_another_region_does_not_read(users, network):
    other = users["nobody"]
    Scope.objects.create(user=other, role=TerritorialRole.PILOTE_ETAT, departement=network["d14"])
    assert not access.can_view_conventions(other)


def test_a_departement_level_region_pilot_is_not_the_regions_team(users, network):
    other = users["nobody"]
    Scope.objects.create(user=other, role=TerritorialRole.PILOTE_REGION, departement=network["d35"])
    assert not access.is_region_team(other)


def test_without_a_region_code_any_region_pilot_is_the_team(settings, users, network):
    settings.SPRO_REGION_CODE = ""
    other = users["nobody"]
    Scope.objects.create(user=other, role=TerritorialRole.PILOTE_REGION, region=network["nor"])
    assert access.is_region_team(other)
    assert set(access.region_pilots()) == {users["pilote_region"], other}
