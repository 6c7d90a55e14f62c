"""Every access rule of the events app, as plain functions (the views never test a role themselves).

* **The Region's SPRO team**: a user with a `pilote_region` scope on the Region of this platform
  (`settings.SPRO_REGION_CODE`; when it is empty, on any région). It creates and runs working groups,
  professionalisation events and the public news and agenda, and moderates the entries members propose.
* **A professional of the network**: a user who is a member (`conseiller` or `admin_structure`) of a structure of
  the directory. They register for professionalisation events and, when `SPRO_EVENTS_MEMBER_SUBMISSIONS` is true,
  propose news and agenda entries (moderated).
* **A working group** is seen only by its members and the Region's team.

The platform admin (superuser) has no right here by that title alone (least privilege): give them a scope.
An inactive or anonymous user has no right at all.
"""

from __future__ import annotations

from django.conf import settings

from spro.accounts.models import Membership, Scope, TerritorialRole
from spro.directory.models import Structure


def _is_active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def region_code() -> str:
    return str(getattr(settings, "SPRO_REGION_CODE", "") or "")


def member_submissions_allowed() -> bool:
    return bool(getattr(settings, "SPRO_EVENTS_MEMBER_SUBMISSIONS", False))


def is_region_team(user) -> bool:
    if not _is_active(user):
        return False
    scopes = Scope.objects.filter(user=user, role=TerritorialRole.PILOTE_REGION)
    code = region_code()
    scopes = scopes.filter(region_id=code) if code else scopes.filter(region__isnull=False)
    return scopes.exists()


def is_network_professional(user) -> bool:
    return _is_active(user) and Membership.objects.filter(user=user).exists()


def member_structures(user):
    if not _is_active(user):
        return Structure.objects.none()
    return Structure.objects.filter(memberships__user=user).distinct().order_by("nom", "id")


# -- working groups


def can_manage_groups(user) -> bool:
    """Create a group, change its members, plan its meetings."""
    return is_region_team(user)


def can_view_group(user, groupe) -> bool:
    if not _is_active(user) or groupe is None:
        return False
    return is_region_team(user) or groupe.adhesions.filter(user=user).exists()


def can_share_document(user, groupe) -> bool:
    """Every one who sees the group may share a document in it."""
    return can_view_group(user, groupe)


def visible_groups(user):
    from spro.events.models import GroupeTravail

    if not _is_active(user):
        return GroupeTravail.objects.none()
    if is_region_team(user):
        return GroupeTravail.objects.all()
    return GroupeTravail.objects.filter(adhesions__user=user).distinct()


# -- professionalisation events


def can_see_pro_events(user) -> bool:
    return is_region_team(user) or is_network_professional(user)


def can_manage_events(user) -> bool:
    """Create an event, see who registered, record attendance."""
    return is_region_team(user)


def can_register(user) -> bool:
    return is_network_professional(user)


# -- public news and agenda


def can_publish(user) -> bool:
    """Publish directly, and moderate what members propose."""
    return is_region_team(user)


def can_submit_public_entry(user) -> bool:
    return is_region_team(user) or (member_submissions_allowed() and is_network_professional(user))
