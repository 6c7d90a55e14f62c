"""Filters that show text typed by someone else safely (see spro/core/text.py)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from spro.core.text import display_text

register = template.Library()


@register.filter
def visible(value: object) -> str:
    """The text without invisible format characters (escaped as usual by the template)."""
    return display_text(value)


@register.filter
def isolated(value: object) -> SafeString:
    """The text without invisible format characters, escaped and isolated in `<bdi>` so that its direction cannot
    reorder what is around it."""
    return format_html("<bdi>{}</bdi>", display_text(value))
