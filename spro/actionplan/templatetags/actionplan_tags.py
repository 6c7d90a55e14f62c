"""Template filters of the action plan pages."""

from __future__ import annotations

from django import template

from spro.actionplan.exports import french_number

register = template.Library()


@register.filter
def fr_number(value) -> str:
    """« 12.5 » (a snapshot's number) shown as « 12,5 »; nothing as « – »."""
    return french_number(None if value is None else str(value))
