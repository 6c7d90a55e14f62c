"""The events app's rules over every role, exhaustively: who may see a group, manage groups, see and run
professionalisation events, register, publish and moderate, propose (with the Region's setting off and on)."""

from __future__ import annotations

import pytest

from spro.accounts.models import Scope
from spro.events import permissions
from spro.events.models import GroupeTravail, MembreGroupe

from .conftest import make_structure, make_user

ROLES = (
    "anonymous",
    "outsider",
    "inactive_member",
    "conseiller",
    "admin_structure",
    "group_member",
    "region_team",
    "region_team_departement",
    "other_region_pilot",
    "pilote_etat",
    "tete_de_reseau",
    "superuser",
)

# role: (view group, manage groups, see events, manage events, register, publish, propose off, propose on)
EXPECTED = {
    "anonymous": (0, 0, 0, 0, 0, 0, 0, 0),
    "outsider": (0, 0, 0, 0, 0, 0, 0, 0),
    "inactive_member": (0, 0, 0, 0, 0, 0, 0, 0),
    "conseiller": (0, 0, 1, 0, 1, 0, 0, 1),
    "admin_structure": (0, 0, 1, 0, 1, 0, 0, 1),
    "group_member": (1, 0, 1, 0, 1, 0, 0, 1),
    "region_team": (1, 1, 1, 1, 0, 1, 1, 1),
    "region_team_departement": (0, 0, 0, 0, 0, 0, 0, 0),
    "other_region_pilot": (0, 0, 0, 0, 0, 0, 0, 0),
    "pilote_etat": (0, 0, 0, 0, 0, 0, 0, 0),
    "tete_de_reseau": (0, 0, 0, 0, 0, 0, 0, 0),
    "superuser": (0, 0, 0, 0, 0, 0, 0, 0),
}


def make_role(role: str):
    from django.contrib.auth.models import AnonymousUser

    from spro.referentials.geo.models import Departement, Region

    structure = make_structure(f"Structure {role}")
    if role == "anonymous":
        return AnonymousUser()
    if role == "outsider":
        return make_user(role)
    if role == "inactive_member":
        user = make_user(role, structure)
        user.is_active = False
        user.save()
        return user
    if role in ("conseiller", "group_member"):
        return make_user(role, structure)
    if role == "admin_structure":
        user = make_user(role)
        user.memberships.create(structure=structure, role="admin_structure")
        return user
    if role == "region_team":
        return make_user(role, region_team="53")
    if role == "other_region_pilot":
        return make_user(role, region_team="28")
    user = make_user(role, is_superuser=role == "superuser", is_staff=role == "superuser")
    if role == "region_team_departement":
        Scope.objects.create(user=user, role="pilote_region", departement=Departement.objects.get(code="29"))
    elif role == "pilote_etat":
        Scope.objects.create(user=user, role="pilote_etat", region=Region.objects.get(code="53"))
    elif role == "tete_de_reseau":
        Scope.objects.create(
            user=user, role="tete_de_reseau", region=Region.objects.get(code="53"), typologie="ML"
        )
    return user


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, geo, settings):
    user = make_role(role)
    groupe = GroupeTravail.objects.create(titre="Interconnaissance")
    if role == "group_member":
        MembreGroupe.objects.create(groupe=groupe, user=user)
    settings.SPRO_EVENTS_MEMBER_SUBMISSIONS = False
    row = [
        permissions.can_view_group(user, groupe),
        permissions.can_manage_groups(user),
        permissions.can_see_pro_events(user),
        permissions.can_manage_events(user),
        permissions.can_register(user),
        permissions.can_publish(user),
        permissions.can_submit_public_entry(user),
    ]
    settings.SPRO_EVENTS_MEMBER_SUBMISSIONS = True
    row.append(permissions.can_submit_public_entry(user))
    assert tuple(int(x) for x in row) == EXPECTED[role]
    visible = list(permissions.visible_groups(user))
    assert visible == ([groupe] if EXPECTED[role][0] else [])


def test_without_a_region_code_any_regional_pilot_is_the_team(geo, settings):
    settings.SPRO_REGION_CODE = ""
    assert permissions.is_region_team(make_role("other_region_pilot"))
    assert not permissions.is_region_team(make_role("region_team_departement"))
