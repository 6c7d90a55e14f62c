"""The codes a page keeps for professionals (« Pour les professionnels », `core/_pro_codes.html`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

register = template.Library()


def _as_text(value: Any) -> str:
    """A code as one line of text: a list becomes « a, b », None or blanks become ""."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set)):
        return ", ".join(text for text in (_as_text(v) for v in value) if text)
    return str(value).strip()


@register.filter
def filled_codes(pairs: Iterable[tuple[str, Any]] | None) -> list[tuple[str, str]]:
    """The (label, value) pairs that have a value, in their order: a label never shows without its code, and the
    fold-out is not drawn at all when no pair is left (docs/design/fiche.md)."""
    shown = []
    for label, value in pairs or ():
        text = _as_text(value)
        if text:
            shown.append((str(label), text))
    return shown
