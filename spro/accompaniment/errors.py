"""The accompaniment's one error: a change that cannot be made, with a French message shown as is."""

from __future__ import annotations


class AccompanimentError(ValueError):
    """A change that cannot be made; the message is French and shown as is (nothing was written)."""
