"""Render a form widget linked to its hint and errors (aria-describedby, aria-invalid), as RGAA 11.10 asks."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def field_widget(field: BoundField) -> SafeString:
    attrs: dict[str, str] = {}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-aide")
    if field.errors:
        described.append(f"{field.auto_id}-erreur")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
