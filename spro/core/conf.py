"""Reading a whole-number setting that must be at least 1 (a retention period in months, a delay in days): one
home, so that every app refuses a bad value with the same `ImproperlyConfigured` message when it is used.

The defaults stay with the app that owns the setting (`spro.pathways.retention`, `spro.referrals.conf`…).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def positive_int(name: str, default: int) -> int:
    """The setting `name` (or `default`) as a whole number ≥ 1; `ImproperlyConfigured` otherwise."""
    value = getattr(settings, name, default)
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number") from exc
    if number < 1:
        raise ImproperlyConfigured(f"{name}={value!r}: expected a number ≥ 1")
    return number
