"""Who may see and handle which referral: the accounts app's rules, and the audit of every personal-data read.

The referral app never tests roles itself: it asks `spro.accounts.permissions`, and writes to `spro.audit`.
"""

from __future__ import annotations

from django.db.models import QuerySet

from spro import audit
from spro.accounts.permissions import can_act_for_structure, structures_in_scope
from spro.referrals.models import Referral


def visible_referrals(user) -> QuerySet[Referral]:
    """The referrals of the structures the user acts for."""
    return Referral.objects.filter(structure__in=structures_in_scope(user)).select_related("structure")


def can_handle(user, referral: Referral) -> bool:
    return can_act_for_structure(user, referral.structure)


def record_read(user, referral: Referral, what: str) -> None:
    """Every display of a person's data to a professional leaves a line in the audit log."""
    audit.record(user, "referral.view", referral, detail=what)


def record_person_read(referral: Referral, what: str) -> None:
    """The person's own page shows their data too: its reads are logged (no user; the referral and structure)."""
    audit.record(None, "referral.follow.view", referral, detail=what)
