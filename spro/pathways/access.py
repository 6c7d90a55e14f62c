"""Who may read a pathway and propose in it: plain functions on top of `spro.accounts.permissions` (the pathway
app never tests roles itself), and the audit of every professional read.

The rule: a user reads a pathway only as a member (`can_act_for_structure`) of a structure the person shared it
with, through a share that is open (not withdrawn) and not expired. Never through another structure; territorial
roles (network heads, Region and State pilots) and the platform admin never, unless also a member of such a
structure. The person reads their own pathway through its private link (no account).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from spro import audit
from spro.accounts.permissions import can_act_for_structure, structures_in_scope
from spro.directory.models import Structure
from spro.pathways.models import Pathway, PathwayShare


def active_shares(at: dt.datetime | None = None) -> QuerySet[PathwayShare]:
    """Shares open at `at` (now by default): not withdrawn, not expired."""
    at = at or timezone.now()
    return PathwayShare.objects.filter(withdrawn_at__isnull=True, expires_at__gt=at, given_at__lte=at)


def share_for(user, pathway: Pathway, structure: Structure | None = None) -> PathwayShare | None:
    """The active share through which `user` may read `pathway` (for `structure` when given), or None."""
    shares = active_shares().filter(pathway=pathway).select_related("structure")
    if structure is not None:
        shares = shares.filter(structure=structure)
    for share in shares.order_by("given_at", "id"):
        if can_act_for_structure(user, share.structure):
            return share
    return None


def can_read(user, pathway: Pathway, structure: Structure | None = None) -> bool:
    return share_for(user, pathway, structure) is not None


def can_propose(user, pathway: Pathway, structure: Structure, part: str) -> bool:
    """Propose an objective (`part` = "objectifs") or an action or appointment ("actions"): a reader through
    `structure` whose share includes that part."""
    share = share_for(user, pathway, structure)
    return share is not None and part in (share.parts or [])


def readable_pathways(user) -> QuerySet[Pathway]:
    """The pathways shared, right now, with a structure the user acts for (the conseiller's list)."""
    structures = structures_in_scope(user)
    now = timezone.now()
    return Pathway.objects.filter(
        Q(shares__structure__in=structures)
        & Q(shares__withdrawn_at__isnull=True, shares__expires_at__gt=now, shares__given_at__lte=now)
    ).distinct()


def record_read(user, pathway: Pathway, structure: Structure, what: str) -> None:
    """Every display of a pathway to a professional leaves one line in the audit log."""
    audit.record(user, "pathway.view", pathway, structure=structure, detail=what)


def record_export(user, pathway: Pathway, structure: Structure, what: str) -> None:
    audit.record(user, "pathway.export", pathway, structure=structure, detail=what)
