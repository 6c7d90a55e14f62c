"""Every access rule of the professional space, in one module (the matrix is in docs/accounts.md).

Other apps call these plain functions and never test roles themselves. Two kinds of right, kept apart:

* **acting for a structure** (its referrals, its contacts, personal data): only its members, `conseiller` or
  `admin_structure` — `structures_in_scope`, `can_act_for_structure`, `can_view_structure_data`;
* **counting** (aggregates, no row-level data): members for their own structures, network heads, Region and
  State pilots over their territory, the platform admin everywhere — `statistics_structures`,
  `can_view_statistics`.

The platform admin (superuser) manages accounts and the directory but, least privilege, reads a structure's
personal data only if also a member of it. An inactive or anonymous user has no right at all.

The governance roles (`partenaire_social`, `membre_crefop`) give no count and no personal data: only the
counting roles (`STATISTICS_ROLES`) enter the statistics functions. Which région a user holds a role over is
answered generically by `scopes_with_role`, `regions_with_role` and `holds_role_in_region`; what each role may do
with the shared action plan and the CREFOP is decided by `spro.actionplan.access`.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from spro.accounts.models import STATISTICS_ROLES, Membership, Scope, StructureRole, TerritorialRole
from spro.directory.models import Structure
from spro.referentials.geo.models import Departement, Region


def _is_active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_platform_admin(user) -> bool:
    return _is_active(user) and user.is_superuser


def structures_in_scope(user) -> QuerySet[Structure]:
    """The structures the user acts for (is a member of): those whose referrals and contacts they may see."""
    if not _is_active(user):
        return Structure.objects.none()
    return Structure.objects.filter(memberships__user=user).distinct()


def can_act_for_structure(user, structure: Structure) -> bool:
    """May handle the structure's referrals, record its first contacts, read its personal data."""
    if not _is_active(user) or structure is None:
        return False
    return Membership.objects.filter(user=user, structure=structure).exists()


def can_view_structure_data(user, structure: Structure) -> bool:
    """Row-level data of a structure (a referral, a contact entry): same rule as acting for it."""
    return can_act_for_structure(user, structure)


def can_record_contact(user, structure: Structure) -> bool:
    return can_act_for_structure(user, structure)


def can_manage_members(user, structure: Structure) -> bool:
    """Invite members and change their roles: the structure's admins, and the platform admin."""
    if not _is_active(user) or structure is None:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(
        user=user, structure=structure, role=StructureRole.ADMIN_STRUCTURE
    ).exists()


def can_edit_structure(user, structure: Structure) -> bool:
    """Update the structure's fiche in the directory (contacts, hours, accessibility) and confirm it is up to date:
    the structure's admins, and the platform admin."""
    return can_manage_members(user, structure)


def _scope_condition(scope: Scope) -> Q:
    condition = Q()
    if scope.departement_id:
        condition &= Q(commune__departement_id=scope.departement_id)
    elif scope.region_id:
        condition &= Q(commune__region_id=scope.region_id)
    if scope.role == TerritorialRole.TETE_DE_RESEAU:
        condition &= Q(typologie=scope.typologie)
    # An empty Q() would vanish from an OR: the whole country is said explicitly.
    return condition if condition else Q(pk__isnull=False)


def statistics_structures(user) -> QuerySet[Structure]:
    """The structures whose aggregated counts the user may see (never their rows)."""
    if not _is_active(user):
        return Structure.objects.none()
    if user.is_superuser:
        return Structure.objects.all()
    condition = Q(memberships__user=user)
    for scope in counting_scopes(user):
        condition |= _scope_condition(scope)
    return Structure.objects.filter(condition).distinct()


def counting_scopes(user) -> QuerySet[Scope]:
    """The user's scopes that give aggregated counts (network heads, Region and State pilots); never a governance
    role's (a social partner or a CREFOP member counts nothing)."""
    if not _is_active(user):
        return Scope.objects.none()
    return Scope.objects.filter(user=user, role__in=STATISTICS_ROLES)


def has_territorial_role(user) -> bool:
    """Whether the user has a counting right over a territory (or is the platform admin): the statistics pages'
    gate. A governance role alone (social partner, CREFOP member) is not one."""
    return _is_active(user) and (user.is_superuser or counting_scopes(user).exists())


def scopes_with_role(user, *roles: str) -> QuerySet[Scope]:
    """The active user's scopes of one of `roles` (any territorial role when none is given)."""
    if not _is_active(user):
        return Scope.objects.none()
    scopes = Scope.objects.filter(user=user)
    return scopes.filter(role__in=roles) if roles else scopes


def regions_with_role(user, *roles: str) -> QuerySet[Region]:
    """The régions over which the user holds one of `roles` as a whole (a scope on the région itself; a
    département scope does not give a région-wide right). A national State pilot (`pilote_etat` without territory)
    holds it over every région."""
    scopes = scopes_with_role(user, *roles)
    if scopes.filter(
        role=TerritorialRole.PILOTE_ETAT, region__isnull=True, departement__isnull=True
    ).exists():
        return Region.objects.all()
    return Region.objects.filter(pk__in=scopes.filter(region__isnull=False).values("region_id"))


def holds_role_in_region(user, region: Region | str | None, *roles: str) -> bool:
    """Whether the user holds one of `roles` over the whole région `region` (a Region or its code); see
    `regions_with_role`. The platform admin holds no role it was not given."""
    if region is None:
        return False
    code = region.pk if isinstance(region, Region) else region
    return regions_with_role(user, *roles).filter(pk=code).exists()


def scopes_in_region(region: Region | str, *roles: str) -> QuerySet[Scope]:
    """The scopes of active users holding one of `roles` over the whole région (a scope on the région itself):
    for instance the CREFOP members who may be named on an attendance sheet."""
    code = region.pk if isinstance(region, Region) else region
    return (
        Scope.objects.filter(region_id=code, departement__isnull=True, role__in=roles, user__is_active=True)
        .select_related("user")
        .order_by("organisation", "user__last_name", "user__email")
    )


def organisation_represented(user, region: Region | str, role: str) -> str:
    """The organisation the user represents in `role` over `region` (« CFDT »), "" if none is recorded."""
    code = region.pk if isinstance(region, Region) else region
    scope = scopes_with_role(user, role).filter(region_id=code).exclude(organisation="").first()
    return scope.organisation if scope else ""


def can_view_statistics(user, territory: Region | Departement | Structure | None = None) -> bool:
    """Whether the user has a counting right over `territory` (None = the whole country).

    A network head's right covers its typologie only: the counts are always computed over
    `statistics_structures(user)`, so this answers "may the page be shown", not "which rows".
    """
    if not _is_active(user):
        return False
    if user.is_superuser:
        return True
    if isinstance(territory, Structure):
        return statistics_structures(user).filter(pk=territory.pk).exists()
    scopes = counting_scopes(user)
    national = scopes.filter(role=TerritorialRole.PILOTE_ETAT, region__isnull=True, departement__isnull=True)
    if national.exists():
        return True
    if territory is None:
        return False
    if isinstance(territory, Region):
        return scopes.filter(region=territory).exists()
    if isinstance(territory, Departement):
        return scopes.filter(Q(departement=territory) | Q(region_id=territory.region_id)).exists()
    raise TypeError(f"territoire inattendu : {territory!r}")
