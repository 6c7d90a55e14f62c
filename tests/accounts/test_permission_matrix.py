"""Every role × structure × right, and the views that enforce them (issue 13: the former matrix was a sample; an
admin of any structure managing every structure passed it).

The expectations are written out literally from docs/accounts.md, never computed from the code they check.
Structures: a = Mission locale at Quimper (29, Bretagne), b = CIO at Rennes (35, Bretagne), c = Mission locale at
Caen (14, Normandie).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from spro.accounts import permissions
from spro.accounts.models import StructureRole, TerritorialRole

from .factories import MembershipFactory, ScopeFactory, UserFactory, build_network

# role: (acts for, counts, manages members of, edits the fiche of)
EXPECTED: dict[str, tuple[str, str, str, str]] = {
    "conseiller_a": ("a", "a", "", ""),
    "admin_a": ("a", "a", "a", "a"),
    "conseiller_b": ("b", "b", "", ""),
    "admin_b": ("b", "b", "b", "b"),
    "conseiller_a_admin_b": ("ab", "ab", "b", "b"),  # several memberships: each with its own role
    "tete_ml_bzh": ("", "a", "", ""),  # the ML of Bretagne: not the CIO, not the Norman ML
    "tete_cio_35": ("", "b", "", ""),  # a département-scoped network head
    "tete_ml_35": ("", "", "", ""),  # no ML in Ille-et-Vilaine
    "pilote_region": ("", "ab", "", ""),
    "pilote_etat_29": ("", "a", "", ""),
    "pilote_etat": ("", "abc", "", ""),
    "partenaire_social": ("", "", "", ""),  # Bretagne: the action plan and the CREFOP, never a count
    "membre_crefop": ("", "", "", ""),
    "partenaire_et_pilote_region": ("", "ab", "", ""),  # a governance role adds no count to a counting one
    "superuser": ("", "abc", "abc", "abc"),  # least privilege: no personal data without membership
    "superuser_member_c": ("c", "abc", "abc", "abc"),
    "inactive_admin_a": ("", "", "", ""),
    "nobody": ("", "", "", ""),
    "anonymous": ("", "", "", ""),
}


@pytest.fixture
def world(db):
    network = build_network()
    geo_d35 = network["d35"]
    users = network["users"]
    users["admin_b"] = MembershipFactory(
        structure=network["b"], role=StructureRole.ADMIN_STRUCTURE, user__email="admin.b@example.org"
    ).user
    multi = MembershipFactory(structure=network["a"], user__email="multi@example.org").user
    MembershipFactory(structure=network["b"], user=multi, role=StructureRole.ADMIN_STRUCTURE)
    users["conseiller_a_admin_b"] = multi
    users["tete_cio_35"] = ScopeFactory(
        role=TerritorialRole.TETE_DE_RESEAU,
        typologie="CIO",
        departement=geo_d35,
        user__email="cio35@example.org",
    ).user
    users["tete_ml_35"] = ScopeFactory(
        role=TerritorialRole.TETE_DE_RESEAU,
        typologie="ML",
        departement=geo_d35,
        user__email="ml35@example.org",
    ).user
    su_c = UserFactory(email="admin.c@example.org", is_superuser=True, is_staff=True)
    MembershipFactory(structure=network["c"], user=su_c)
    users["superuser_member_c"] = su_c
    inactive = MembershipFactory(
        structure=network["a"], role=StructureRole.ADMIN_STRUCTURE, user__email="ancien.admin@example.org"
    ).user
    inactive.is_active = False
    inactive.save()
    users["inactive_admin_a"] = inactive
    both = ScopeFactory(
        role=TerritorialRole.PILOTE_REGION, region=network["bzh"], user__email="double@example.org"
    ).user
    ScopeFactory(user=both, role=TerritorialRole.PARTENAIRE_SOCIAL, region=network["nor"], organisation="U2P")
    users["partenaire_et_pilote_region"] = both
    users["anonymous"] = AnonymousUser()
    return network


def keys(network, structures) -> str:
    by_pk = {network[key].pk: key for key in "abc"}
    return "".join(sorted(by_pk[s.pk] for s in structures))


def test_every_role_of_the_matrix_is_built(world):
    assert set(world["users"]) == set(EXPECTED)


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_on_each_structure(world, role):
    user = world["users"][role]
    acts, counts, manages, edits = EXPECTED[role]
    assert keys(world, permissions.structures_in_scope(user)) == acts
    assert keys(world, permissions.statistics_structures(user)) == counts
    for key in "abc":
        structure = world[key]
        assert permissions.can_act_for_structure(user, structure) is (key in acts), key
        assert permissions.can_view_structure_data(user, structure) is (key in acts), key
        assert permissions.can_record_contact(user, structure) is (key in acts), key
        assert permissions.can_view_statistics(user, structure) is (key in counts), key
        assert permissions.can_manage_members(user, structure) is (key in manages), key
        assert permissions.can_edit_structure(user, structure) is (key in edits), key


@pytest.mark.parametrize("role", sorted(set(EXPECTED) - {"anonymous", "inactive_admin_a"}))
def test_the_member_and_fiche_pages_enforce_the_matrix(world, client, role):
    """GET of the invitation/members page and of the fiche page, POST of a member change: 200/302 or 403."""
    user = world["users"][role]
    client.force_login(user)
    _, _, manages, edits = EXPECTED[role]
    for key in "abc":
        structure = world[key]
        members = client.get(f"/pro/structures/{structure.pk}/inviter")
        assert members.status_code == (200 if key in manages else 403), (key, "inviter")
        fiche = client.get(f"/pro/structures/{structure.pk}/fiche")
        assert fiche.status_code == (200 if key in edits else 403), (key, "fiche")
        membership = structure.memberships.order_by("pk").first()
        if membership is not None:
            change = client.post(
                f"/pro/structures/{structure.pk}/membres/{membership.pk}", {"action": "role", "role": "bogus"}
            )
            # An allowed user reaches the validation (400 for the unknown role); the others are refused first.
            assert change.status_code == (400 if key in manages else 403), (key, "membre")


@pytest.mark.parametrize("role", ["anonymous", "inactive_admin_a"])
def test_anonymous_and_inactive_users_are_sent_to_the_login_page(world, client, role):
    if role == "inactive_admin_a":
        client.force_login(world["users"][role])  # a session opened before the account was deactivated
    for key in "abc":
        for path in ("inviter", "fiche"):
            response = client.get(f"/pro/structures/{world[key].pk}/{path}")
            assert response.status_code == 302 and "/pro/connexion" in response["Location"]


# role: (régions held as a social partner, as a CREFOP member, as a Region pilot, as a State pilot) — "B" Bretagne,
# "N" Normandie; a département scope gives no région-wide role, a national State pilot holds every région.
REGIONS: dict[str, tuple[str, str, str, str]] = {
    "conseiller_a": ("", "", "", ""),
    "admin_a": ("", "", "", ""),
    "conseiller_b": ("", "", "", ""),
    "admin_b": ("", "", "", ""),
    "conseiller_a_admin_b": ("", "", "", ""),
    "tete_ml_bzh": ("", "", "", ""),
    "tete_cio_35": ("", "", "", ""),
    "tete_ml_35": ("", "", "", ""),
    "pilote_region": ("", "", "B", ""),
    "pilote_etat_29": ("", "", "", ""),
    "pilote_etat": ("", "", "", "BN"),
    "partenaire_social": ("B", "", "", ""),
    "membre_crefop": ("", "B", "", ""),
    "partenaire_et_pilote_region": ("N", "", "B", ""),
    "superuser": ("", "", "", ""),  # the platform admin holds no governance role it was not given
    "superuser_member_c": ("", "", "", ""),
    "inactive_admin_a": ("", "", "", ""),
    "nobody": ("", "", "", ""),
    "anonymous": ("", "", "", ""),
}


def test_every_role_has_its_regions_written_out():
    assert set(REGIONS) == set(EXPECTED)


@pytest.mark.parametrize("role", sorted(REGIONS))
def test_each_role_holds_its_governance_and_pilot_roles_over_its_regions_only(world, role):
    user = world["users"][role]
    letters = {"53": "B", "28": "N"}
    for held, territorial_role in zip(
        REGIONS[role],
        (
            TerritorialRole.PARTENAIRE_SOCIAL,
            TerritorialRole.MEMBRE_CREFOP,
            TerritorialRole.PILOTE_REGION,
            TerritorialRole.PILOTE_ETAT,
        ),
        strict=True,
    ):
        found = "".join(sorted(letters[r.pk] for r in permissions.regions_with_role(user, territorial_role)))
        assert found == "".join(sorted(held)), territorial_role
        for region_key, letter in (("bzh", "B"), ("nor", "N")):
            region = world[region_key]
            assert permissions.holds_role_in_region(user, region, territorial_role) is (letter in held)
            assert permissions.holds_role_in_region(user, region.pk, territorial_role) is (letter in held)
    assert permissions.holds_role_in_region(user, None, TerritorialRole.PILOTE_REGION) is False


def test_a_social_partner_represents_the_organisation_of_its_scope(world):
    users = world["users"]
    partner = users["partenaire_social"]
    assert permissions.organisation_represented(partner, world["bzh"], TerritorialRole.PARTENAIRE_SOCIAL) == (
        "CFDT Bretagne"
    )
    assert permissions.organisation_represented(partner, "28", TerritorialRole.PARTENAIRE_SOCIAL) == ""
    both = users["partenaire_et_pilote_region"]
    assert permissions.organisation_represented(both, "28", TerritorialRole.PARTENAIRE_SOCIAL) == "U2P"
    assert permissions.organisation_represented(both, "53", TerritorialRole.PARTENAIRE_SOCIAL) == ""


@pytest.mark.parametrize("role", ["partenaire_social", "membre_crefop"])
def test_governance_roles_open_no_statistics_page(world, role):
    user = world["users"][role]
    assert not permissions.has_territorial_role(user)
    assert not permissions.counting_scopes(user).exists()
    for territory in (None, world["bzh"], world["d29"], world["nor"]):
        assert permissions.can_view_statistics(user, territory) is False


@pytest.mark.parametrize(
    "role, shown",
    [("partenaire_social", True), ("membre_crefop", True), ("pilote_region", True), ("conseiller_a", False)],
)
def test_the_dashboard_links_territorial_roles_to_the_governance_pages(world, client, role, shown):
    client.force_login(world["users"][role])
    page = client.get("/pro/").content.decode()
    for text in ("Plan d’action partagé", "CREFOP et commissions", "Suivi des décisions"):
        assert (text in page) is shown, text
    if role == "partenaire_social":
        assert "CFDT Bretagne" in page


def test_the_holders_of_a_governance_role_in_a_region(world):
    users = world["users"]
    holders = permissions.scopes_in_region(
        world["bzh"], TerritorialRole.MEMBRE_CREFOP, TerritorialRole.PARTENAIRE_SOCIAL
    )
    assert {scope.user for scope in holders} == {users["membre_crefop"], users["partenaire_social"]}
    assert [s.user for s in permissions.scopes_in_region("28", TerritorialRole.PARTENAIRE_SOCIAL)] == [
        users["partenaire_et_pilote_region"]
    ]
    users["membre_crefop"].is_active = False
    users["membre_crefop"].save()
    assert not permissions.scopes_in_region("53", TerritorialRole.MEMBRE_CREFOP).exists()
    # A département scope is not région-wide.
    assert not permissions.scopes_in_region("53", TerritorialRole.PILOTE_ETAT).exists()
