"""The facts of the accessibility statement (RGAA), read from the settings so that the page says only what is true.

The status itself (`SPRO_ACCESSIBILITY_STATUS`) is shown on every page by the context processor; this module adds what
only the statement says: when it was established, and the audit (date, auditor, rate) once there has been one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings


@dataclass(frozen=True)
class StatementFacts:
    statement_date: date | None
    audit_date: date | None
    auditor: str
    audit_rate: float | None


def _day(name: str) -> date | None:
    value = getattr(settings, name, "")
    return date.fromisoformat(value) if value else None  # checked at start by spro/settings.py


def facts() -> StatementFacts:
    rate = getattr(settings, "SPRO_ACCESSIBILITY_AUDIT_RATE", "")
    return StatementFacts(
        statement_date=_day("SPRO_ACCESSIBILITY_STATEMENT_DATE"),
        audit_date=_day("SPRO_ACCESSIBILITY_AUDIT_DATE"),
        auditor=getattr(settings, "SPRO_ACCESSIBILITY_AUDITOR", ""),
        audit_rate=float(rate) if rate else None,
    )
