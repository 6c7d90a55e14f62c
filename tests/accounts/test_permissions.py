"""The permission matrix of docs/accounts.md, role by role, on three structures of two regions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from spro.accounts import permissions

# (user, structures they act for, structures they count, may manage members of A)
MATRIX = {
    "conseiller_a": ({"a"}, {"a"}, False),
    "admin_a": ({"a"}, {"a"}, True),
    "conseiller_b": ({"b"}, {"b"}, False),
    "tete_ml_bzh": (set(), {"a"}, False),  # ML of Bretagne: not the CIO, not the Norman ML
    "pilote_region": (set(), {"a", "b"}, False),
    "pilote_etat_29": (set(), {"a"}, False),
    "pilote_etat": (set(), {"a", "b", "c"}, False),
    "partenaire_social": (set(), set(), False),  # governance roles: no count, no personal data
    "membre_crefop": (set(), set(), False),
    "superuser": (set(), {"a", "b", "c"}, True),
    "nobody": (set(), set(), False),
}


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_each_role_acts_counts_and_manages_only_within_its_scope(network, role):
    user = network["users"][role]
    acts, counts, manages_a = MATRIX[role]
    by_pk = {network[key].pk: key for key in "abc"}
    assert {by_pk[s.pk] for s in permissions.structures_in_scope(user)} == acts
    assert {by_pk[s.pk] for s in permissions.statistics_structures(user)} == counts
    for key in "abc":
        structure = network[key]
        assert permissions.can_act_for_structure(user, structure) is (key in acts)
        assert permissions.can_view_structure_data(user, structure) is (key in acts)
        assert permissions.can_record_contact(user, structure) is (key in acts)
        assert permissions.can_view_statistics(user, structure) is (key in counts)
    assert permissions.can_manage_members(user, network["a"]) is manages_a


def test_pilots_never_get_personal_data_even_over_their_whole_territory(network):
    for role in (
        "tete_ml_bzh",
        "pilote_region",
        "pilote_etat_29",
        "pilote_etat",
        "partenaire_social",
        "membre_crefop",
    ):
        user = network["users"][role]
        assert not permissions.structures_in_scope(user).exists()
        assert not any(permissions.can_act_for_structure(user, network[k]) for k in "abc")


def test_territorial_statistics_rights_follow_region_and_departement(network):
    users = network["users"]
    assert permissions.can_view_statistics(users["pilote_region"], network["bzh"])
    assert permissions.can_view_statistics(users["pilote_region"], network["d35"])
    assert not permissions.can_view_statistics(users["pilote_region"], network["nor"])
    assert not permissions.can_view_statistics(users["pilote_region"], None)
    assert permissions.can_view_statistics(users["pilote_etat_29"], network["d29"])
    assert not permissions.can_view_statistics(users["pilote_etat_29"], network["d35"])
    assert not permissions.can_view_statistics(users["pilote_etat_29"], network["bzh"])
    assert permissions.can_view_statistics(users["pilote_etat"], None)
    assert permissions.can_view_statistics(users["pilote_etat"], network["d14"])
    assert not permissions.can_view_statistics(users["conseiller_a"], network["bzh"])


def test_anonymous_and_deactivated_users_have_no_right(network):
    anonymous = AnonymousUser()
    assert not permissions.structures_in_scope(anonymous).exists()
    assert not permissions.statistics_structures(anonymous).exists()
    assert not permissions.can_act_for_structure(anonymous, network["a"])
    assert not permissions.can_act_for_structure(None, network["a"])
    assert not permissions.can_view_statistics(anonymous, None)
    admin = network["users"]["admin_a"]
    admin.is_active = False
    admin.save()
    assert not permissions.can_act_for_structure(admin, network["a"])
    assert not permissions.can_manage_members(admin, network["a"])
    assert not permissions.statistics_structures(admin).exists()


def test_a_structure_without_commune_is_outside_every_territorial_scope(network):
    from .factories import StructureFactory

    floating = StructureFactory(typologie="ML", commune=None)
    assert (
        not permissions.statistics_structures(network["users"]["pilote_region"])
        .filter(pk=floating.pk)
        .exists()
    )
    assert permissions.statistics_structures(network["users"]["pilote_etat"]).filter(pk=floating.pk).exists()
