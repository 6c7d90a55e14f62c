"""Template tags other apps' pages use to show referral counts (e.g. the professional dashboard)."""

from __future__ import annotations

from django import template

from spro.referrals.models import Referral, Status

register = template.Library()


@register.simple_tag
def new_referrals_count(structure) -> int:
    """Requests the structure has not opened yet (status « nouvelle »): no personal data, a count."""
    return Referral.objects.filter(structure=structure, status=Status.NOUVELLE).count()
