"""Who may do what with the conventions and the network's charter (on top of spro.accounts.permissions).

* **the Region's SPRO team** (a `pilote_region` scope over the Region — `settings.SPRO_REGION_CODE` when set, any
  région otherwise — or the platform admin): records and edits conventions, avenants, texts, notices, charter
  versions and memberships; reads everything, receives the alerts;
* **the State's services** (a `pilote_etat` scope, national or over the Region or one of its départements): read the
  conventions, their texts and the charter's signatures; no edit;
* **a structure admin** (`admin_structure` of a member structure): signs the charter for their structure and reads
  their own membership;
* everyone else, anonymous included: the public list of members (`/reseau`) and its open data only.

Documents (the texts of conventions) are served only to those who may read the conventions.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet

from spro.accounts.models import Membership, Scope, StructureRole, TerritorialRole
from spro.accounts.permissions import is_platform_admin
from spro.directory.models import Structure
from spro.governance.models import NetworkMember


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _region_code() -> str:
    return (getattr(settings, "SPRO_REGION_CODE", "") or "").strip()


def _scopes(user, role: str) -> QuerySet[Scope]:
    return Scope.objects.filter(user=user, role=role)


def region_pilots() -> QuerySet:
    """Users of the Region's SPRO team (active, with an e-mail): the recipients of the alerts."""
    from django.contrib.auth import get_user_model

    region = _region_code()
    condition = Q(scopes__role=TerritorialRole.PILOTE_REGION, scopes__region__isnull=False)
    if region:
        condition &= Q(scopes__region_id=region)
    return (
        get_user_model()
        .objects.filter(condition, is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("email")
    )


def is_region_team(user) -> bool:
    if not _active(user):
        return False
    if is_platform_admin(user):
        return True
    scopes = _scopes(user, TerritorialRole.PILOTE_REGION).filter(region__isnull=False)
    region = _region_code()
    if region:
        scopes = scopes.filter(region_id=region)
    return scopes.exists()


def is_state_reader(user) -> bool:
    if not _active(user):
        return False
    scopes = _scopes(user, TerritorialRole.PILOTE_ETAT)
    region = _region_code()
    if region:
        scopes = scopes.filter(
            Q(region__isnull=True, departement__isnull=True)
            | Q(region_id=region)
            | Q(departement__region_id=region)
        )
    return scopes.exists()


def can_view_conventions(user) -> bool:
    return is_region_team(user) or is_state_reader(user)


def can_edit_conventions(user) -> bool:
    return is_region_team(user)


def can_download_convention_document(user) -> bool:
    return can_view_conventions(user)


def can_manage_charter(user) -> bool:
    """Publish a charter version, add or end memberships."""
    return is_region_team(user)


def can_view_signatures(user) -> bool:
    """Who signed which version, and who has not."""
    return can_view_conventions(user)


def structures_signing_for(user) -> QuerySet[Structure]:
    """Member structures the user is an admin of (may sign the charter for)."""
    if not _active(user):
        return Structure.objects.none()
    admin_of = Membership.objects.filter(user=user, role=StructureRole.ADMIN_STRUCTURE).values("structure_id")
    return Structure.objects.filter(pk__in=admin_of, spro_membership__isnull=False)


def can_sign_charter(user, member: NetworkMember) -> bool:
    """Only an admin of the structure itself: signing commits the structure (not the platform admin, not a pilot)."""
    if not _active(user) or member is None:
        return False
    return Membership.objects.filter(
        user=user, structure_id=member.structure_id, role=StructureRole.ADMIN_STRUCTURE
    ).exists()
