"""Who writes, reads and reviews the register's entries (docs/bonnes-pratiques.md « Accès »), on top of
`spro.accounts.permissions`.

* writing: the members of a structure (for their structures) and the network heads (in their own name);
  an entry is edited only while it is a draft (or refused, to be corrected), by its structure's members — or by
  its author when it has no structure;
* reading: a published entry by every professional of the network (a member of a structure or a holder of a
  territorial role); a submitted or refused one by its authors and the Region pilots; a draft by its authors only;
* reviewing (publish, refuse): the Region pilots.
"""

from __future__ import annotations

from spro.accounts.models import Membership, TerritorialRole
from spro.accounts.permissions import can_act_for_structure, scopes_with_role
from spro.practices.models import Practice
from spro.practices.vocabularies import Status


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_professional(user) -> bool:
    """A member of a structure or a holder of a territorial role: the network's professionals."""
    if not _active(user):
        return False
    return Membership.objects.filter(user=user).exists() or scopes_with_role(user).exists()


def is_network_head(user) -> bool:
    return scopes_with_role(user, TerritorialRole.TETE_DE_RESEAU).exists()


def can_write(user) -> bool:
    return _active(user) and (Membership.objects.filter(user=user).exists() or is_network_head(user))


def can_review(user) -> bool:
    return scopes_with_role(user, TerritorialRole.PILOTE_REGION).exists()


def is_author(user, practice: Practice) -> bool:
    if not _active(user):
        return False
    if practice.author_structure is not None:
        return can_act_for_structure(user, practice.author_structure)
    return practice.created_by_id == user.pk


def can_edit(user, practice: Practice) -> bool:
    return practice.status in (Status.BROUILLON, Status.REFUSEE) and is_author(user, practice)


def can_view(user, practice: Practice) -> bool:
    if practice.status == Status.PUBLIEE:
        return is_professional(user)
    if is_author(user, practice):
        return True
    return practice.status in (Status.SOUMISE, Status.REFUSEE) and can_review(user)
